import type { TaskType } from '../domain/step-types';

/** The title of a task whose step has none, for each kind of task (a new kind must say its own). */
const TITLES: Record<TaskType, (who: string) => string> = {
  call: (who) => `Call ${who}`,
  linkedin: (who) => `LinkedIn: ${who}`,
  manual_email: (who) => `Email ${who}`,
  todo: (who) => `To-do for ${who}`,
};

export const defaultTaskTitle = (type: TaskType, who: string): string => TITLES[type](who);

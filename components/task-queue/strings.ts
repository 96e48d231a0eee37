/** The task queue's own words beyond components/strings.ts. English shipped, i18n-ready. */
export const queueLoad = {
  rest: (shown: number, total: number) => `Showing the first ${shown} of ${total} tasks; loading the rest…`,
  waitForAll: 'Available once every task has loaded',
};

import { prefetchFirstScreen } from '@/components/inbox/first-screen';
import { browserRuntime } from '@/lib/platform/runtime';

// Loaded first by the side panel's page (a classic script, before its module scripts): asks for the task
// queue's first screen while the page's main script still loads and compiles.
export default defineUnlistedScript(() => prefetchFirstScreen(browserRuntime()));

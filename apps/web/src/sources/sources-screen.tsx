import { usePageTitle } from '../ui/page-title';
import { ConnectionsPanel } from './connections-panel';
import { TasksPanel } from './tasks-panel';

/** Sources: where tips come from. */
export function SourcesScreen() {
  usePageTitle('Sources');
  return (
    <>
      <h1>Sources</h1>
      <TasksPanel />
      <ConnectionsPanel />
    </>
  );
}

import { kindName, reasonFor } from './tip-words';

describe('why a tip was chosen, in words', () => {
  const task = (body: string) => ({ id: 'task:1', kind: 'task', title: 'Pay rent', body });

  it("reads a task's due date as the reason", () => {
    expect(reasonFor(task('Overdue.'))).toMatch(/overdue/);
    expect(reasonFor(task('Due within a day.'))).toBe('It is due within a day.');
    expect(reasonFor(task('Due in 4 days.'))).toMatch(/due in 4 days/);
    expect(reasonFor(task('No due date: a good moment to move it forward.'))).toMatch(/waited/);
    expect(reasonFor(task('Something new'))).toMatch(/most pressing/);
  });

  it('says advice fits the time of day, and names kinds for people', () => {
    expect(reasonFor({ id: 'advice:b', kind: 'break', title: 'Stretch', body: 'Two minutes' })).toMatch(/time of your day/);
    expect(kindName('task')).toBe('A task of yours');
    expect(kindName('deep_work')).toBe('deep work');
  });
});

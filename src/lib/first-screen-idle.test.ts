import { createFirstScreenIdle, FIRST_SCREEN_IDLE_MARK } from './first-screen-idle';

/** An idle scheduler the test drives: `idleNow()` is the browser finding an idle moment. */
function heldIdle() {
  const held: (() => void)[] = [];
  return {
    scheduleIdle: (task: () => void) => void held.push(task),
    idleNow: () => {
      for (const task of held.splice(0)) task();
    },
    asked: () => held.length,
  };
}

describe('createFirstScreenIdle', () => {
  it('runs nothing before the first screen is shown, nor after it until the page is idle; then every task, once', () => {
    const idle = heldIdle();
    const marks: string[] = [];
    const gate = createFirstScreenIdle({ scheduleIdle: idle.scheduleIdle, mark: (name) => marks.push(name) });
    const ran: string[] = [];
    gate.afterIdle(() => ran.push('hasher'));
    gate.afterIdle(() => ran.push('panel'));
    idle.idleNow();
    expect(ran).toEqual([]);
    expect(idle.asked()).toBe(0);

    gate.firstScreenShown();
    gate.firstScreenShown();
    expect(idle.asked()).toBe(1);
    expect(ran).toEqual([]);
    expect(gate.isIdle()).toBe(false);

    idle.idleNow();
    expect(ran).toEqual(['hasher', 'panel']);
    expect(gate.isIdle()).toBe(true);
    expect(marks).toEqual([FIRST_SCREEN_IDLE_MARK]);
    idle.idleNow();
    expect(ran).toEqual(['hasher', 'panel']);
  });

  it('runs a task asked for after the idle moment at once, and never one cancelled before it', () => {
    const idle = heldIdle();
    const gate = createFirstScreenIdle({ scheduleIdle: idle.scheduleIdle });
    const ran: string[] = [];
    const cancel = gate.afterIdle(() => ran.push('cancelled'));
    gate.firstScreenShown();
    cancel();
    idle.idleNow();
    expect(ran).toEqual([]);
    gate.afterIdle(() => ran.push('late'));
    expect(ran).toEqual(['late']);
  });

  it('tells its subscribers once, at the idle moment; a failing task keeps neither the others nor the subscribers from running', () => {
    const idle = heldIdle();
    const gate = createFirstScreenIdle({ scheduleIdle: idle.scheduleIdle });
    // No reportError in Node: the error goes to the console.
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const told: boolean[] = [];
    const ran: string[] = [];
    gate.subscribe(() => told.push(gate.isIdle()));
    const unsubscribed = vi.fn();
    gate.subscribe(unsubscribed)();
    gate.afterIdle(() => {
      throw new Error('chunk failed');
    });
    gate.afterIdle(() => ran.push('after the failure'));
    gate.firstScreenShown();
    idle.idleNow();
    expect(ran).toEqual(['after the failure']);
    expect(told).toEqual([true]);
    expect(unsubscribed).not.toHaveBeenCalled();
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: 'chunk failed' }));
  });
});

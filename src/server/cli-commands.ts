// Commands contributed by modules (train/classify/eval, bench match, …): each module exports its
// command runners; this file maps them to `earshot <name>`.

export type Command = { usage: string; describe: string; run: (argv: string[]) => Promise<void> };

export const extraCommands: Record<string, Command> = {};

/** What a template may refer to: `{{customer.name}}`, `{{case.number}}`, `{{agent.name}}`, … */
export type TemplateContext = {
  c: {
    number: number;
    channel: string;
    author?: { handle: string; name: string | null } | null;
    person?: {
      displayName: string | null;
      accounts: { account: { name: string | null; accountNumber: string } }[];
    } | null;
  };
  me: { name: string | null; email: string };
};

/** Fills `{{variables}}`; unknown ones are left visible so the agent notices and edits them. */
export function fillTemplate(body: string, { c, me }: TemplateContext): string {
  const account = c.person?.accounts[0]?.account;
  const customerName =
    account?.name ?? c.person?.displayName ?? c.author?.name ?? c.author?.handle ?? 'there';
  const firstName = customerName.split(/\s+/)[0] ?? customerName;
  const vars: Record<string, string> = {
    'customer.name': customerName,
    'customer.firstName': firstName,
    'customer.first_name': firstName,
    'customer.handle': c.author?.handle ? `@${c.author.handle}` : '',
    'case.number': String(c.number),
    'case.channel': c.channel,
    'agent.name': me.name ?? me.email,
    'agent.firstName': (me.name ?? me.email).split(/\s+/)[0] ?? '',
    'account.number': account?.accountNumber ?? '',
  };
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}

import type { FieldName } from './token-keys.ts';

/** One token a term must match: a key (see token-keys.ts), whole or as a prefix (`comcas*`). */
export type TermToken = { key: string; prefix: boolean };

/**
 * A parsed listening query. Terms and phrases are one node: a term whose text makes several
 * tokens (`t-mobile`, `"comcast outage"`) matches them at consecutive positions.
 */
export type QueryNode =
  | {
      type: 'term';
      /** As written, without quotes or `=` (a bare term keeps its trailing `*`). */
      text: string;
      quoted: boolean;
      /** `=Apple`: exact case and accents. */
      exact: boolean;
      tokens: TermToken[];
      start: number;
      end: number;
    }
  | {
      type: 'field';
      field: FieldName;
      value: string;
      prefix: boolean;
      key: string;
      start: number;
      end: number;
    }
  | { type: 'and'; children: QueryNode[]; start: number; end: number }
  | { type: 'or'; children: QueryNode[]; start: number; end: number }
  | { type: 'not'; child: QueryNode; start: number; end: number }
  | {
      type: 'near';
      left: QueryNode;
      right: QueryNode;
      /** At most this many words between the two sides. */
      distance: number;
      /** `ONEAR/n` or `NEAR/n/f`: the left side comes first. */
      ordered: boolean;
      start: number;
      end: number;
    };

export type TermNode = Extract<QueryNode, { type: 'term' }>;
export type FieldNode = Extract<QueryNode, { type: 'field' }>;
export type NearNode = Extract<QueryNode, { type: 'near' }>;

import type { FastifyInstance } from 'fastify';
import type { AppContext, LiveEvent } from '../../context.ts';
import { can } from '../auth/roles.ts';

/**
 * `GET /api/v1/live` (WebSocket): pushes case.created / case.updated / presence events to the
 * console. Clients send `{"type":"presence","caseId":…,"state":"viewing"|"typing"|"left"}`.
 */
export async function liveRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/api/v1/live',
    { websocket: true, config: { roles: can.anyone }, schema: { hide: true } },
    (socket, req) => {
      const user = req.user!;
      const send = (e: LiveEvent) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(e));
      };
      ctx.live.on('event', send);
      socket.on('message', (raw: Buffer) => {
        try {
          const msg = JSON.parse(raw.toString('utf8')) as { type?: string; caseId?: string; state?: string };
          if (
            msg.type === 'presence' &&
            typeof msg.caseId === 'string' &&
            ['viewing', 'typing', 'left'].includes(msg.state ?? '')
          ) {
            ctx.live.emitEvent({
              type: 'presence',
              caseId: msg.caseId,
              state: msg.state,
              user: { id: user.id, name: user.name },
            });
          }
        } catch {
          // ignore malformed client messages
        }
      });
      socket.on('close', () => {
        ctx.live.off('event', send);
      });
    },
  );
}

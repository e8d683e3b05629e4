/**
 * Redis as a ReplicatedService: `INFO replication` read with ioredis over a stream the caller opened (an SSH
 * tunnel to the node's Redis port), so no Redis port is reachable from outside and nothing runs on the node.
 *
 * ioredis is told to use that stream through its Connector hook, and never to reconnect, queue or retry: one
 * read, one answer or one failure. A password goes to Redis in AUTH and nowhere else; Redis's refusals
 * (NOAUTH, WRONGPASS) never contain it.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AbstractConnector, default as Redis } from 'ioredis';
import type * as IoRedis from 'ioredis';
import { PcxFailure } from '../../util/result';
import type { Agent } from '../../cluster/types';
import { AuthRequired, type ReadCredentials, type ReplicatedService, type ReplicationState } from '../types';
import { parseReplicationInfo } from './info';

const DEFAULT_PORT = 6379;

let ioredis: typeof IoRedis | undefined;
/** ioredis, loaded on the first workload read, not at startup (a file of its own in the bundles: scripts/build.mjs). */
function loadIoredis(): typeof IoRedis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ioredis ??= require('ioredis') as typeof IoRedis);
}

/** ioredis types its stream as a socket and may call these on it; an SSH channel has none of them. */
function socketLike(stream: Duplex): Socket {
  const s = stream as Duplex & Record<string, unknown>;
  for (const m of ['setNoDelay', 'setKeepAlive', 'setTimeout']) if (typeof s[m] !== 'function') s[m] = () => s;
  return s as unknown as Socket;
}

function connectorFor(stream: Duplex): new (options: unknown) => AbstractConnector {
  return class TunnelConnector extends loadIoredis().AbstractConnector {
    constructor() {
      super(1000);
    }
    connect(): Promise<Socket> {
      this.connecting = true;
      const socket = socketLike(stream);
      this.stream = socket;
      return Promise.resolve(socket);
    }
  };
}

function isAuthError(message: string): AuthRequired | undefined {
  if (/^NOAUTH\b/.test(message) || /Authentication required/i.test(message)) return new AuthRequired(false, 'Redis asks for a password (requirepass)');
  if (/^WRONGPASS\b/.test(message) || /invalid password|invalid username-password/i.test(message)) return new AuthRequired(true, 'Redis refused the password');
  return undefined;
}

const handshakeErrors = new WeakMap<Redis, Error>();

/** An ioredis client over `stream` that never reconnects, queues or retries; connect() it, then disconnect(). */
export function redisOverStream(stream: Duplex, credentials: ReadCredentials, timeoutMs: number): Redis {
  const client = new (loadIoredis().default)({
    Connector: connectorFor(stream),
    password: credentials.password,
    // RESP2 and no CLIENT SETINFO: plain AUTH + INFO, understood by every Redis since 2.8 (HELLO needs 6).
    protocol: 2,
    disableClientInfo: true,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    autoResubscribe: false,
    noDelay: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  // Errors are also delivered to the awaited calls; this keeps an unheard 'error' from crashing us, and keeps
  // the handshake's own refusal (AUTH's WRONGPASS), which ioredis reports only as "Connection is closed".
  client.on('error', (e: Error) => {
    handshakeErrors.set(client, e);
  });
  return client;
}

async function readInfo(stream: Duplex, credentials: ReadCredentials, timeoutMs: number): Promise<string> {
  // The password is sent only when Redis asks for one (NOAUTH), on the same connection: a Redis without
  // requirepass never sees it, and ioredis has nothing to warn about on the console.
  const client = redisOverStream(stream, {}, timeoutMs);
  try {
    await client.connect();
    try {
      return await client.info();
    } catch (e) {
      if (credentials.password === undefined || !(e instanceof Error) || !isAuthError(e.message)) throw e;
      await client.call('AUTH', credentials.password);
      return await client.info();
    }
  } catch (e) {
    throw handshakeErrors.get(client) ?? e;
  } finally {
    client.disconnect();
    stream.destroy();
  }
}

export const redisService: ReplicatedService = {
  kind: 'redis',
  label: 'Redis',
  words: { primary: 'master', replica: 'replica' },
  matches: (agent: Agent) => agent.standard === 'ocf' && agent.type === 'redis',
  commands: {
    inspect: (port) => `redis-cli -p ${port} INFO replication`,
    follow: (primary, port) => `redis-cli -p ${port} REPLICAOF ${primary} ${port}`,
    log: '/var/log/redis',
  },
  port: (params) => {
    const n = Number(params['port']);
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : DEFAULT_PORT;
  },
  async read(stream: Duplex, credentials: ReadCredentials, timeoutMs: number): Promise<ReplicationState> {
    let text: string;
    try {
      text = await readInfo(stream, credentials, timeoutMs);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const auth = isAuthError(message);
      if (auth) throw auth;
      if (/timed? ?out/i.test(message)) {
        throw new PcxFailure('redis-timeout', `Redis did not answer INFO within ${timeoutMs / 1000} s`, 'Redis may be busy (a long command, a save) or hanging: check it with redis-cli on the node. Or the network to the node is losing packets: check with ping.');
      }
      throw new PcxFailure('redis-failed', `Redis did not answer: ${message}`, 'Check that redis-server runs there and look at its log (/var/log/redis).');
    }
    const state = parseReplicationInfo(text);
    if (!state) throw new PcxFailure('redis-unexpected', 'Redis answered INFO replication without a role', 'Is this really a Redis server on that port?');
    return state;
  },
};

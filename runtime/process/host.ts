// Assembling a process host for an app image: the node, the ambient globals it provides (process,
// channel, payload, coroutine.spawn) and the modules that need the host (funcs, ctx, blocking time).

import type { AppImage } from '../app/image.js';
import type { LuaTable } from '../lua/table.js';
import { stateHooks, type HostGlobals } from '../app/app.js';
import { current } from './scheduler.js';
import { Process } from './process.js';
import type { Output } from '../lua/lib/io.js';
import { registerModules } from '../modules/index.js';
import { funcsModule, ctxModule } from '../modules/funcs.js';
import { timeModule } from '../modules/time/index.js';
import { moduleTable, type ModuleDef } from '../modules/module.js';
import { blockingTime } from './timers.js';
import { encodeJson, decodeJson } from '../modules/json.js';
import { newError, KINDS } from '../lua/lib/errors.js';
import { Node } from './node.js';
import { createProcessLib, me } from './process-lib.js';
import { createChannelLib } from './channel.js';
import { createPayloadLib, codecs, FORMATS } from './payload.js';

// time = the pure module plus the blocking functions that need the scheduler.
const timeWithTimers: ModuleDef = {
  name: 'time',
  open(ctx) {
    const members: Record<string, any> = {};
    for (const [k, v] of timeModule.open(ctx).entries()) members[k as string] = v;
    return moduleTable('time', { ...members, ...blockingTime });
  },
};

registerModules([funcsModule, ctxModule, timeWithTimers]);

// Payload transcoding between Lua values and JSON text.
codecs.encode[FORMATS.JSON] = (v) => {
  try {
    return [encodeJson(v), undefined];
  } catch (e) {
    return [undefined, newError((e as Error).message, KINDS.INVALID)];
  }
};
codecs.decode[FORMATS.JSON] = (s) => {
  try {
    return [decodeJson(s), undefined];
  } catch (e) {
    return [undefined, newError((e as Error).message, KINDS.INVALID)];
  }
};

/** A node for an app image; `preloaded` chunk factories come from a built app's module files. */
// `require` finds the globals of the state that is running through the current task's process.
stateHooks.currentEnv = () => {
  const owner = current?.owner;
  return owner instanceof Process ? owner.env : null;
};

export function createNode(image: AppImage, output: Output, preloaded?: Map<string, (env: LuaTable) => unknown>): Node {
  const globals: HostGlobals = { ambient: {} };
  const node = new Node(image, output, globals, preloaded);
  globals.node = node;
  globals.ambient.process = createProcessLib(node);
  globals.ambient.channel = createChannelLib();
  globals.ambient.payload = createPayloadLib();
  globals.spawn = (fn) => {
    node.spawnCoroutine(me('spawn'), fn);
    return undefined;
  };
  return node;
}

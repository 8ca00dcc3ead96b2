/** Every step's run function by name; one module per step, covering the whole catalog (a test checks it). */
import type { StepRun } from '../runtime/step-context.js';
import { run as answer } from './answer.js';
import { run as bridgeToChannel } from './bridge-to-channel.js';
import { run as collectPin } from './collect-pin.js';
import { run as endCall } from './end-call.js';
import { run as fallback } from './fallback.js';
import { run as fork } from './fork.js';
import { run as hangup } from './hangup.js';
import { run as log } from './log.js';
import { run as lookup } from './lookup.js';
import { run as notify } from './notify.js';
import { run as originate } from './originate.js';
import { run as prompt } from './prompt.js';
import { run as record } from './record.js';
import { run as respond } from './respond.js';
import { run as sendDtmf } from './send-dtmf.js';
import { run as storeDelete } from './store-delete.js';
import { run as storeGet } from './store-get.js';
import { run as storeIncr } from './store-incr.js';
import { run as storePut } from './store-put.js';
import { run as streamToWebsocket } from './stream-to-websocket.js';
import { run as transfer } from './transfer.js';
import { run as wait } from './wait.js';

export { StepError, StepErrorCode } from './support.js';

/** The step runners, keyed by catalog name. */
export const STEP_RUNNERS: Readonly<Record<string, StepRun>> = {
  answer,
  prompt,
  'collect-pin': collectPin,
  lookup,
  'bridge-to-channel': bridgeToChannel,
  fork,
  fallback,
  'stream-to-websocket': streamToWebsocket,
  record,
  'send-dtmf': sendDtmf,
  transfer,
  hangup,
  wait,
  respond,
  'store-get': storeGet,
  'store-put': storePut,
  'store-delete': storeDelete,
  'store-incr': storeIncr,
  originate,
  notify,
  log,
  'end-call': endCall,
};

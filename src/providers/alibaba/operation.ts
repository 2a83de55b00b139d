/**
 * The contract between the Alibaba RPC protocol and a product's operations (ECI, ENS). The protocol
 * owns everything a call has in common (signature, account, permission, faults, request schema,
 * ClientToken replay, the envelope); an operation only turns params and state into a body.
 */
import type { OperationEnv } from '../../core/pipeline/protocol.js';
import type { Tx } from '../../core/store.js';
import type { AlibabaError } from './errors.js';

/** One authenticated, authorised RPC call as an operation sees it. */
export interface RpcCall {
  action: string;
  version: string;
  /** Every API parameter, decoded, from the query and the form body (signature params removed). */
  params: Record<string, string>;
  /** `RegionId` param when sent. */
  regionId: string | undefined;
  /** The caller's account: the access key's `AccountId`, or the default account. */
  accountId: string;
  accessKeyId: string;
  requestId: string;
  /** Emulator clock at the start of the call (ms). */
  now: number;
}

export interface RpcOperation {
  /** 'eci' | 'ens' */
  product: string;
  /** API version, e.g. '2018-08-08'. */
  version: string;
  action: string;
  /** Sent back as `HostId` in error envelopes, e.g. 'eci.aliyuncs.com'. */
  hostId: string;
  /** RAM action the caller's key must allow; defaults to `${product}:${action}`. */
  permission?: string;
  /**
   * The call changes state: only such calls remember a ClientToken (a read has nothing to make
   * idempotent, and remembering its whole answer would let reads fill the state document).
   */
  changesState?: boolean;
  /** Ids of the resources a call touches, for fault matching. */
  resourceIds?(call: RpcCall): string[];
  /**
   * What a product documents for a key whose Actions do not allow the call: an error, or a success
   * body to send instead (ECI's DescribeContainerGroups answers an empty list). Every operation
   * says it: the products document different codes (ECI Forbidden.RAM / NoPermission.Tag, ENS NoPermission).
   */
  denied(permission: string, call: RpcCall): AlibabaError | Record<string, unknown>;
  /** The RegionIds the product serves: another one is 404 InvalidRegionId.NotFound. Absent: the product takes no RegionId. */
  regions?: ReadonlySet<string>;
  /** The product's code for a param its request schema refuses (ENS: InvalidParameter.<name>); default InvalidParameter. */
  invalidParameter?(name: string, why: string): AlibabaError;
  /**
   * The success body WITHOUT RequestId (the protocol puts RequestId first), inside the pipeline's
   * transaction. Throws AlibabaError.
   */
  handle(call: RpcCall, tx: Tx, env: OperationEnv): Record<string, unknown>;
}

/** What the operations' helpers need of the engine: its settings and transition durations. */
export type RpcEnv = Pick<OperationEnv, 'settings' | 'durations' | 'lifecycle' | 'transitionFault'>;

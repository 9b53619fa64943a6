// A state-based endorsement policy as the bytes Fabric's validator reads: a protobuf
// SignaturePolicyEnvelope requiring one peer of each organisation named, byte for byte what
// fabric-shim's KeyEndorsementPolicy (addOrgs('PEER', ...)).getPolicy() builds. Encoded here
// rather than through fabric-shim because loading fabric-shim installs process-wide exception
// handlers that keep a crashing process alive, and the embedded ledger runs this contract inside
// the application's own processes.

const PEER_ROLE = 3; // common.MSPRole.MSPRoleType.PEER
const encoder = new TextEncoder();

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return bytes;
}

/** A length-delimited field (wire type 2). */
const bytesField = (field: number, bytes: number[]) => [(field << 3) | 2, ...varint(bytes.length), ...bytes];
/** A varint field (wire type 0). */
const varintField = (field: number, value: number) => [field << 3, ...varint(value)];

/** SignaturePolicyEnvelope{ rule: NOutOf(n of signedBy(i)), identities: MSPPrincipal(ROLE PEER of mspId) }. */
export function peersPolicy(mspIds: readonly string[]): Uint8Array {
  const signedBy = (i: number) => varintField(1, i); // SignaturePolicy.signed_by (a oneof: 0 is sent)
  const nOutOf = [...varintField(1, mspIds.length), ...mspIds.flatMap((_, i) => bytesField(2, signedBy(i)))];
  const rule = bytesField(2, nOutOf); // SignaturePolicy.n_out_of
  const identities = mspIds.flatMap((mspId) => {
    const role = [...bytesField(1, [...encoder.encode(mspId)]), ...varintField(2, PEER_ROLE)];
    // MSPPrincipal: classification ROLE is 0, the proto3 default, so only the principal is sent.
    return bytesField(3, bytesField(2, role));
  });
  return Uint8Array.from([...bytesField(2, rule), ...identities]); // version 0: not sent
}

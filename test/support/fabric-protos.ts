// Fabric's protobuf classes for tests, from the copy of @hyperledger/fabric-protos the gateway
// loads: the chaincode's fabric-shim brings an older copy, and two copies in one process replace
// each other's message classes (google-protobuf registers them on a global namespace).
import { createRequire } from 'node:module';

type Protos = typeof import('@hyperledger/fabric-protos');
const requireHere = createRequire(import.meta.url);
const gatewayRequire = createRequire(requireHere.resolve('@hyperledger/fabric-gateway'));

export const { common, msp, peer } = gatewayRequire('@hyperledger/fabric-protos') as Protos;

// The network's identities (cryptogen) and its channel's genesis block (configtxgen). Both run
// once per network directory; their inputs are written next to their outputs for inspection.
// JSON is valid YAML, so the tools' inputs are written as JSON.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fabricBinary } from './binaries.ts';
import { CHANNEL, type NetworkLayout, ORDERER_MSP, paths } from './organisations.ts';
import { runTool } from './processes.ts';

const SANS = ['localhost', '127.0.0.1'];

export function generateCrypto(layout: NetworkLayout): void {
  if (existsSync(paths.ordererOrg(layout))) return;
  const config = {
    OrdererOrgs: [
      {
        Name: 'Orderer',
        Domain: layout.orderer.domain,
        EnableNodeOUs: true,
        Specs: [{ Hostname: 'orderer', SANS }],
      },
    ],
    PeerOrgs: layout.organisations.map((o) => ({
      Name: o.mspId,
      Domain: o.domain,
      EnableNodeOUs: true,
      Template: { Count: 1, SANS },
      Users: { Count: 1 },
    })),
  };
  const file = join(layout.dir, 'config', 'crypto-config.yaml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(config, null, 2));
  runTool('cryptogen', fabricBinary('cryptogen'), [
    'generate',
    `--config=${file}`,
    `--output=${paths.crypto(layout)}`,
  ]);
}

const implicit = (rule: string) => ({ Type: 'ImplicitMeta', Rule: rule });
const signature = (rule: string) => ({ Type: 'Signature', Rule: rule });

/** Member policies of one organisation, as configtx.yaml spells them. */
function organisationPolicies(mspId: string, peers: boolean) {
  const member = peers ? `OR('${mspId}.admin', '${mspId}.peer', '${mspId}.client')` : `OR('${mspId}.member')`;
  return {
    Readers: signature(member),
    Writers: signature(peers ? `OR('${mspId}.admin', '${mspId}.client')` : `OR('${mspId}.member')`),
    Admins: signature(`OR('${mspId}.admin')`),
    ...(peers ? { Endorsement: signature(`OR('${mspId}.peer')`) } : {}),
  };
}

/**
 * An application channel created straight from its genesis block (no system channel), its
 * anchor peers in the organisations' definitions so discovery finds every organisation's peer.
 * Blocks are cut after 50 ms or 100 transactions: a step waits at most one short batch.
 */
export function generateGenesisBlock(layout: NetworkLayout): void {
  const block = paths.genesisBlock(layout);
  if (existsSync(block)) return;
  const ordererTls = join(paths.ordererNode(layout), 'tls', 'server.crt');
  const ordererEndpoint = `127.0.0.1:${layout.orderer.ports.listen}`;
  const config = {
    Profiles: {
      GovflowChannel: {
        Policies: {
          Readers: implicit('ANY Readers'),
          Writers: implicit('ANY Writers'),
          Admins: implicit('MAJORITY Admins'),
        },
        Capabilities: { V3_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: '50ms',
          BatchSize: { MaxMessageCount: 100, AbsoluteMaxBytes: '10 MB', PreferredMaxBytes: '2 MB' },
          EtcdRaft: {
            Consenters: [
              {
                Host: '127.0.0.1',
                Port: layout.orderer.ports.listen,
                ClientTLSCert: ordererTls,
                ServerTLSCert: ordererTls,
              },
            ],
          },
          Organizations: [
            {
              Name: ORDERER_MSP,
              ID: ORDERER_MSP,
              MSPDir: join(paths.ordererOrg(layout), 'msp'),
              Policies: organisationPolicies(ORDERER_MSP, false),
              OrdererEndpoints: [ordererEndpoint],
            },
          ],
          Policies: {
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
            BlockValidation: implicit('ANY Writers'),
          },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: layout.organisations.map((o) => ({
            Name: o.mspId,
            ID: o.mspId,
            MSPDir: join(paths.peerOrg(layout, o), 'msp'),
            Policies: organisationPolicies(o.mspId, true),
            AnchorPeers: [{ Host: '127.0.0.1', Port: o.ports.peer }],
          })),
          Policies: {
            Readers: implicit('ANY Readers'),
            Writers: implicit('ANY Writers'),
            Admins: implicit('MAJORITY Admins'),
            LifecycleEndorsement: implicit('MAJORITY Endorsement'),
            Endorsement: implicit('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
  const configDir = join(layout.dir, 'config');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(dirname(block), { recursive: true });
  writeFileSync(join(configDir, 'configtx.yaml'), JSON.stringify(config, null, 2));
  runTool('configtxgen', fabricBinary('configtxgen'), [
    '-configPath',
    configDir,
    '-profile',
    'GovflowChannel',
    '-channelID',
    CHANNEL,
    '-outputBlock',
    block,
  ]);
}

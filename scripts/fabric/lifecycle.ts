// Channel membership and the chaincode's lifecycle, through Fabric's own CLIs acting as each
// organisation's admin: the orderer joins the channel (osnadmin), every peer joins it, installs
// the chaincode-as-a-service package, every organisation approves the definition (endorsement
// policy and private data collections) and it is committed. Each step checks first whether it
// is already done, so running it again changes nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/config.ts';
import { fabricBinary } from './binaries.ts';
import { peerHome } from './nodes.ts';
import { CHAINCODE, CHANNEL, type NetworkLayout, type PeerOrganisation, paths } from './organisations.ts';
import { NetworkError, runTool, sleep } from './processes.ts';

/** Every new key (step records, definitions, a fact's first version) needs the engine's peer. */
export const CHAINCODE_ENDORSEMENT_POLICY = "OR('GovflowMSP.peer')";
export const COLLECTIONS_CONFIG = join(REPO_ROOT, 'chaincode', 'collections_config.json');
const LABEL = 'govflow_1';

function ordererCa(layout: NetworkLayout): string {
  return join(paths.ordererNode(layout), 'tls', 'ca.crt');
}

function peerTlsCa(layout: NetworkLayout, o: PeerOrganisation): string {
  return join(paths.peerNode(layout, o), 'tls', 'ca.crt');
}

/** The peer CLI's environment when it acts as the organisation's admin against its own peer. */
function adminEnv(layout: NetworkLayout, o: PeerOrganisation): NodeJS.ProcessEnv {
  return {
    FABRIC_CFG_PATH: peerHome(layout, o),
    FABRIC_LOGGING_SPEC: 'warning',
    CORE_PEER_LOCALMSPID: o.mspId,
    CORE_PEER_MSPCONFIGPATH: join(paths.user(layout, o, 'Admin'), 'msp'),
    CORE_PEER_ADDRESS: `127.0.0.1:${o.ports.peer}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: peerTlsCa(layout, o),
  };
}

const peer = (what: string, layout: NetworkLayout, o: PeerOrganisation, args: string[]) =>
  runTool(`${what} (${o.mspId})`, fabricBinary('peer'), args, adminEnv(layout, o));

/** An orderer just (re)started elects its Raft leader within seconds; until then it refuses. */
const NO_LEADER = /SERVICE_UNAVAILABLE|no Raft leader/;

/** A peer CLI call that goes to the orderer, repeated while the orderer has no leader yet. */
async function peerToOrderer(what: string, layout: NetworkLayout, o: PeerOrganisation, args: string[]) {
  for (const since = Date.now(); ; ) {
    try {
      return peer(what, layout, o, args);
    } catch (err) {
      if (!NO_LEADER.test((err as Error).message) || Date.now() - since > 30_000) throw err;
      await sleep(250);
    }
  }
}

export function joinOrderer(layout: NetworkLayout): void {
  const admin = join(paths.ordererOrg(layout), 'users', `Admin@${layout.orderer.domain}`, 'tls');
  const common = [
    '-o',
    `127.0.0.1:${layout.orderer.ports.admin}`,
    '--ca-file',
    ordererCa(layout),
    '--client-cert',
    join(admin, 'client.crt'),
    '--client-key',
    join(admin, 'client.key'),
  ];
  const list = runTool('osnadmin channel list', fabricBinary('osnadmin'), ['channel', 'list', ...common]);
  if (list.includes(`"name": "${CHANNEL}"`)) return;
  runTool('osnadmin channel join', fabricBinary('osnadmin'), [
    'channel',
    'join',
    '--channelID',
    CHANNEL,
    '--config-block',
    paths.genesisBlock(layout),
    ...common,
  ]);
}

export function joinPeer(layout: NetworkLayout, o: PeerOrganisation): void {
  if (peer('peer channel list', layout, o, ['channel', 'list']).split('\n').includes(CHANNEL)) return;
  peer('peer channel join', layout, o, ['channel', 'join', '-b', paths.genesisBlock(layout)]);
}

/** Builds chaincode/dist when a source file is newer than the bundle. */
export function buildChaincode(log: (line: string) => void): void {
  const bundle = join(REPO_ROOT, 'chaincode', 'dist', 'index.cjs');
  const src = join(REPO_ROOT, 'chaincode', 'src');
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const newest = Math.max(
    statSync(join(REPO_ROOT, 'chaincode', 'package.json')).mtimeMs,
    ...spawnSync('ls', [src], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map((f) => statSync(join(src, f)).mtimeMs),
  );
  if (built > newest) return;
  log('  building the chaincode (chaincode/dist/index.cjs)');
  runTool('npm run build (chaincode)', 'npm', ['run', 'build', '--silent', '--workspace', 'chaincode']);
}

/**
 * The chaincode-as-a-service package: where the peers reach the chaincode server. The tar
 * files are written without times or owners, so the package id stays the same run after run.
 */
export function packageChaincode(layout: NetworkLayout): { file: string; packageId: string } {
  const dir = join(layout.dir, 'chaincode');
  mkdirSync(dir, { recursive: true });
  const connection = { address: layout.chaincodeAddress, dial_timeout: '10s', tls_required: false };
  writeFileSync(join(dir, 'connection.json'), `${JSON.stringify(connection)}\n`);
  writeFileSync(join(dir, 'metadata.json'), `${JSON.stringify({ type: 'ccaas', label: LABEL })}\n`);
  const tar = (out: string, files: string[]) =>
    runTool('tar (chaincode package)', 'sh', [
      '-c',
      `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$0" -cf - ${files.join(' ')} | gzip -n > "$1"`,
      dir,
      join(dir, out),
    ]);
  tar('code.tar.gz', ['connection.json']);
  tar(`${LABEL}.tgz`, ['metadata.json', 'code.tar.gz']);
  const file = join(dir, `${LABEL}.tgz`);
  const packageId = `${LABEL}:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  return { file, packageId };
}

export function installChaincode(
  layout: NetworkLayout,
  o: PeerOrganisation,
  pkg: { file: string; packageId: string },
) {
  if (peer('queryinstalled', layout, o, ['lifecycle', 'chaincode', 'queryinstalled']).includes(pkg.packageId))
    return;
  peer('chaincode install', layout, o, ['lifecycle', 'chaincode', 'install', pkg.file]);
}

/** The committed definition's sequence and whether it matches what we would approve now. */
function committed(layout: NetworkLayout, o: PeerOrganisation): { sequence: number } | undefined {
  const result = spawnSync(
    fabricBinary('peer'),
    ['lifecycle', 'chaincode', 'querycommitted', '-C', CHANNEL, '-n', CHAINCODE, '-O', 'json'],
    { encoding: 'utf8', env: { ...process.env, ...adminEnv(layout, o) } },
  );
  if (result.status !== 0) return undefined;
  return { sequence: (JSON.parse(result.stdout) as { sequence: number }).sequence };
}

/** Hash of what the definition says, to know when a changed policy or collection needs a new sequence. */
export function definitionHash(packageId: string): string {
  return createHash('sha256')
    .update(`${packageId}\n${CHAINCODE_ENDORSEMENT_POLICY}\n${readFileSync(COLLECTIONS_CONFIG, 'utf8')}`)
    .digest('hex');
}

/**
 * Approves (every organisation) and commits the definition at `sequence` unless the channel
 * already has it. Returns the committed sequence.
 */
export async function defineChaincode(
  layout: NetworkLayout,
  packageId: string,
  sequence: number,
): Promise<number> {
  const [first] = layout.organisations;
  const current = committed(layout, first);
  if (current && current.sequence >= sequence) return current.sequence;
  const definition = [
    '--channelID',
    CHANNEL,
    '--name',
    CHAINCODE,
    '--version',
    String(sequence),
    '--sequence',
    String(sequence),
    '--signature-policy',
    CHAINCODE_ENDORSEMENT_POLICY,
    '--collections-config',
    COLLECTIONS_CONFIG,
  ];
  const orderer = ['-o', `127.0.0.1:${layout.orderer.ports.listen}`, '--tls', '--cafile', ordererCa(layout)];
  for (const o of layout.organisations)
    await peerToOrderer('approveformyorg', layout, o, [
      'lifecycle',
      'chaincode',
      'approveformyorg',
      ...orderer,
      ...definition,
      '--package-id',
      packageId,
    ]);
  await peerToOrderer('chaincode commit', layout, first, [
    'lifecycle',
    'chaincode',
    'commit',
    ...orderer,
    ...definition,
    ...layout.organisations.flatMap((o) => [
      '--peerAddresses',
      `127.0.0.1:${o.ports.peer}`,
      '--tlsRootCertFiles',
      peerTlsCa(layout, o),
    ]),
  ]);
  const after = committed(layout, first);
  if (after?.sequence !== sequence)
    throw new NetworkError(
      `the chaincode definition at sequence ${sequence} is not committed on ${first.mspId}'s peer`,
    );
  return sequence;
}

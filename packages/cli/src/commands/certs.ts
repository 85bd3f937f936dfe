// `sparesync certs ...`: make a pair's CA, agent certificates and pair key; issue Control API
// client certificates; print a certificate's fingerprint. Files and their places: certs/README.md.
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  allowedKeyBits,
  certificateFingerprint,
  certificateKind,
  clientRoles,
  createPairCertificates,
  DEFAULT_LEAF_DAYS,
  defaultKeyBits,
  issueClientCertificate,
  parseEndpoint,
  SpareSyncError,
  type ClientRole,
  type KeyBits,
  type PairFiles,
} from '@sparesync/common';

function print(text: string): void {
  process.stdout.write(text + '\n');
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new SpareSyncError('InvalidArgument', `--days ${value}: expected a whole number of days`);
  }
  return n;
}

const keyBitsOption = () =>
  new Option('--key-bits <bits>', 'RSA key size')
    .choices(allowedKeyBits.map(String))
    .default(String(defaultKeyBits));
const daysOption = (description: string) =>
  new Option('--days <days>', description).default(String(DEFAULT_LEAF_DAYS));

function withHint<T>(f: () => T, hint: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpareSyncError) throw new SpareSyncError(e.code, e.message, { hint });
    throw e;
  }
}

/** Each agent pins the other's certificate: that crossing is what operators get wrong. */
function pins(r: PairFiles) {
  return {
    primary: { peer: { fingerprint: r.fingerprints.secondary } },
    secondary: { peer: { fingerprint: r.fingerprints.primary } },
  };
}

function initReport(r: PairFiles): string {
  const rows: Array<[string, string, string]> = [
    [r.caCert, 'pair CA certificate', 'both servers: tls.ca'],
    [r.caKey, 'pair CA private key', 'keep OFF the servers; only `certs issue-client` needs it'],
    [r.primaryCert, 'primary agent certificate', 'primary: tls.cert'],
    [r.primaryKey, 'primary agent private key', 'primary: tls.key'],
    [r.secondaryCert, 'secondary agent certificate', 'secondary: tls.cert'],
    [r.secondaryKey, 'secondary agent private key', 'secondary: tls.key'],
    [r.pairKey, 'pair key (guide §6)', 'both servers: pairKeyFile'],
  ];
  const w0 = Math.max(...rows.map((x) => basename(x[0]).length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  return [
    `Wrote the pair's certificates and keys to ${r.dir}:`,
    ...rows.map(([f, what, where]) => `  ${basename(f).padEnd(w0)}  ${what.padEnd(w1)}  ${where}`),
    '',
    "Fingerprints to pin: each agent pins the OTHER agent's certificate in peer.fingerprint.",
    "  in the primary's settings (the secondary's certificate):",
    `    "peer": { "fingerprint": "${r.fingerprints.secondary}" }`,
    "  in the secondary's settings (the primary's certificate):",
    `    "peer": { "fingerprint": "${r.fingerprints.primary}" }`,
    `  pair CA (for reference): ${r.fingerprints.ca}`,
    `Valid until: agent certificates ${r.notAfter.agents}, CA ${r.notAfter.ca}.`,
    'Private keys and pair.key are mode 0600: copy them keeping their mode (see certs/README.md).',
  ].join('\n');
}

function registerInit(certs: Command): void {
  certs
    .command('init')
    .description("Create a pair's CA, the two agent certificates and keys, and the pair key.")
    .requiredOption('--dir <dir>', 'folder to write into (created with mode 0700 when missing)')
    .requiredOption(
      '--primary <name[,ip|dns...]>',
      'primary agent: its name (certificate CN), then the addresses and host names it is reached by',
    )
    .requiredOption('--secondary <name[,ip|dns...]>', 'secondary agent, like --primary')
    .option('--force', 'replace existing files (every fingerprint changes: update peer.fingerprint on both)')
    .addOption(daysOption('days the agent certificates are valid (the CA: at least 10 years)'))
    .addOption(keyBitsOption())
    .option('--json', 'print the paths, fingerprints and the peer.fingerprint of each side as JSON')
    .addHelpText(
      'after',
      '\nExample:\n' +
        '  sparesync certs init --dir certs/generated \\\n' +
        '    --primary web1,203.0.113.10,web1.example.com --secondary web2,198.51.100.20,web2.example.com\n\n' +
        'Writes ca.crt, ca.key, primary.crt, primary.key, secondary.crt, secondary.key and pair.key.\n' +
        "Items of --primary/--secondary that are IP addresses become IP entries of the certificate's\n" +
        'subjectAltName, the others DNS entries; the name is included too.\n' +
        "The primary's peer.fingerprint is the SECONDARY's certificate fingerprint, and the other way round.\n" +
        'Existing files are never replaced without --force. Exit codes: 0 written, 2 invalid arguments or\n' +
        'existing files, 64 bad usage.',
    )
    .action(
      async (opts: {
        dir: string;
        primary: string;
        secondary: string;
        force?: boolean;
        days: string;
        keyBits: string;
        json?: boolean;
      }) => {
        const r = await createPairCertificates({
          dir: opts.dir,
          primary: parseEndpoint(opts.primary, '--primary'),
          secondary: parseEndpoint(opts.secondary, '--secondary'),
          force: opts.force,
          validDays: days(opts.days),
          keyBits: Number(opts.keyBits) as KeyBits,
        });
        print(opts.json ? JSON.stringify({ ...r, pin: pins(r) }, null, 2) : initReport(r));
      },
    );
}

function registerIssueClient(certs: Command): void {
  certs
    .command('issue-client')
    .description('Issue a client certificate for the Control API (the CLI or a script on another machine).')
    .argument('<name>', "client name: letters, digits, '.', '_', '-' (the certificate CN and file names)")
    .requiredOption('--dir <dir>', 'the folder of `certs init` (holds ca.crt and ca.key)')
    .addOption(
      new Option(
        '--role <role>',
        'operator: status and commands; readonly: status, identity and settings without secrets',
      )
        .choices(clientRoles)
        .default('readonly'),
    )
    .option('--force', 'replace an existing client-NAME.crt/.key')
    .addOption(daysOption('days the certificate is valid (never past the CA)'))
    .addOption(keyBitsOption())
    .option('--json', 'print {cert, key, fingerprint, role, notAfter} as JSON')
    .addHelpText(
      'after',
      '\nWrites client-NAME.crt and client-NAME.key (mode 0600) into --dir, signed by the pair CA.\n' +
        'Give the client ca.crt, client-NAME.crt and client-NAME.key; in its settings file set\n' +
        'control.cert and control.key to them. The certificate can authenticate a client only, never an agent.',
    )
    .action(
      async (
        name: string,
        opts: {
          dir: string;
          role: ClientRole;
          force?: boolean;
          days: string;
          keyBits: string;
          json?: boolean;
        },
      ) => {
        const r = await issueClientCertificate({
          dir: opts.dir,
          name,
          role: opts.role,
          force: opts.force,
          validDays: days(opts.days),
          keyBits: Number(opts.keyBits) as KeyBits,
        });
        if (opts.json) return print(JSON.stringify(r, null, 2));
        print(
          [
            `Wrote a client certificate for "${name}" (role ${r.role}):`,
            `  ${r.cert}`,
            `  ${r.key}  (private key, mode 0600)`,
            `Fingerprint: ${r.fingerprint}`,
            `Valid until: ${r.notAfter}`,
          ].join('\n'),
        );
      },
    );
}

function registerFingerprint(certs: Command): void {
  certs
    .command('fingerprint')
    .description("Print a PEM certificate's SHA-256 fingerprint, the form peer.fingerprint takes.")
    .argument('<file>', 'certificate file (PEM)')
    .option('--json', 'print {file, fingerprint, kind, role, subject, notAfter} as JSON')
    .addHelpText('after', '\nExample: sparesync certs fingerprint /etc/sparesync/web2.crt')
    .action((file: string, opts: { json?: boolean }) => {
      const abs = resolve(file);
      let pem: string;
      try {
        if (!statSync(abs).isFile()) throw new Error('not a regular file');
        pem = readFileSync(abs, 'utf8');
      } catch (e) {
        throw new SpareSyncError('CertUnreadable', `cannot read ${abs}: ${(e as Error).message}`, {
          hint: 'Give the path of a PEM certificate file.',
        });
      }
      const fingerprint = withHint(
        () => certificateFingerprint(pem, abs),
        'Give the path of a PEM certificate (a .crt file, not a .key).',
      );
      if (!opts.json) return print(fingerprint);
      const x = new X509Certificate(pem);
      const notAfter = new Date(x.validTo).toISOString();
      print(
        JSON.stringify(
          { file: abs, fingerprint, ...certificateKind(pem), subject: x.subject, notAfter },
          null,
          2,
        ),
      );
    });
}

export function registerCertsCommands(program: Command): void {
  const certs = program
    .command('certs')
    .description("Make the pair's certificates and pair key, issue client certificates, print fingerprints.")
    // Subcommands inherit this when they are created, so their usage errors reach main() as a
    // CommanderError (exit 64) instead of commander calling process.exit(1) itself.
    .exitOverride()
    .addHelpText(
      'after',
      "\nEvery certificate is signed by the pair's own CA (ca.crt); agents also pin each other by fingerprint\n" +
        'and prove they hold the same pair key. See certs/README.md for where each file goes.',
    );
  registerInit(certs);
  registerIssueClient(certs);
  registerFingerprint(certs);
}

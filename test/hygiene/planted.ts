import type { KubeObject } from '../../shared/inventory/types.js';

/**
 * Credential-looking values planted where real clusters hide them. Each has a distinctive core:
 * the checks look for the core, so a value that was only partly redacted still counts as a leak.
 */
export const PLANTED = {
  awsAccessKeyId: { value: 'AKIAHARDLINEPLANTED1', core: 'HARDLINEPLANTED1' },
  awsSecretAccessKey: { value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYHLPLANTED2', core: 'CYHLPLANTED2' },
  jwt: { value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJoYXJkbGluZS1wbGFudGVkIn0.c2lnbmF0dXJlLXBsYW50ZWQtMw', core: 'c2lnbmF0dXJlLXBsYW50ZWQtMw' },
  password: { value: 'Pl4nted-Passw0rd!hardline4', core: 'Pl4nted-Passw0rd' },
  privateKey: {
    value: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAplantedKEYmaterial5hardline\n-----END RSA PRIVATE KEY-----',
    core: 'plantedKEYmaterial5',
  },
  githubToken: { value: 'ghp_PlantedGitHubToken6abcdefghijklmnopqrstu', core: 'PlantedGitHubToken6' },
  urlCredentials: { value: 'postgres://admin:Url5ecretPlanted7@db.internal:5432/shop', core: 'Url5ecretPlanted7' },
  imageCredentials: { value: 'robot:Img5ecretPlanted8@registry.example.com/shop/app:1.0', core: 'Img5ecretPlanted8' },
  hostPathPassword: { value: '/srv/app/password=HostPath5ecretPlanted9', core: 'HostPath5ecretPlanted9' },
  passwordAssignment: { value: '-Xmx1g -Dspring.datasource.password=Assign5ecretPlanted10', core: 'Assign5ecretPlanted10' },
  connectionString: { value: 'Server=db.internal;Database=shop;User Id=sa;Password=Conn5ecretPlanted11;', core: 'Conn5ecretPlanted11' },
  secretAssignment: { value: 'client_id=shop client_secret=Client5ecretPlanted12', core: 'Client5ecretPlanted12' },
  azureClientSecret: { value: 'Az78Q~Planted13AzureClientSecretAbcdefgh', core: 'Planted13AzureClientSecret' },
  azureConnectionString: {
    value: 'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=AccountKey5ecretPlanted14Zm9v==;EndpointSuffix=core.windows.net',
    core: 'AccountKey5ecretPlanted14',
  },
  azureSas: {
    value: 'https://shop.blob.core.windows.net/img?sv=2022-11-02&sp=rl&se=2027-01-01&sig=SasSignaturePlanted15%2Bab%3D',
    core: 'SasSignaturePlanted15',
  },
  gcpServiceAccount: {
    value:
      '{"type": "service_account", "project_id": "shop", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvGcpKeyPlanted16\\n-----END PRIVATE KEY-----\\n"}',
    core: 'GcpKeyPlanted16',
  },
  googleApiKey: { value: 'AIzaSyPlanted17GoogleApiKeyAbcdefghij_-', core: 'Planted17GoogleApiKey' },
  privateKeyFourDashes: {
    value: '----BEGIN RSA PRIVATE KEY----\nMIIEpFourDashPlanted18\n----END RSA PRIVATE KEY----',
    core: 'FourDashPlanted18',
  },
  opensshKey: {
    value: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaPlanted19\n-----END OPENSSH PRIVATE KEY-----',
    core: 'b3BlbnNzaPlanted19',
  },
  puttyKey: {
    value: 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\nAAAAPuttyKeyPlanted20\nPrivate-MAC: 0a1b2c3d',
    core: 'PuttyKeyPlanted20',
  },
  apiKeyAssignment: { value: 'SENDGRID_API_KEY=SG.ApiKeyPlanted21', core: 'ApiKeyPlanted21' },
} as const;

export type PlantedName = keyof typeof PLANTED;

/** Which planted values appear in a text (by their core). */
export function leaksIn(text: string): PlantedName[] {
  return (Object.keys(PLANTED) as PlantedName[]).filter((k) => text.includes(PLANTED[k].core));
}

const p = PLANTED;
const lastApplied = JSON.stringify({
  kind: 'Deployment',
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            env: [
              { name: 'AWS_SECRET_ACCESS_KEY', value: p.awsSecretAccessKey.value },
              { name: 'DB_PASSWORD', value: p.password.value },
            ],
          },
        ],
      },
    },
  },
});

/**
 * A namespace full of leaks: env values (tokens, `password=` assignments, connection strings), a
 * ConfigMap holding a properties file and a private key, annotations (kubectl's
 * last-applied-configuration repeats every env value), labels, image references with credentials
 * (with and without a scheme), a host path holding `password=`, and names that are credentials
 * themselves (invalid in a live cluster, possible in manifests and snapshots).
 */
export function plantedObjects(namespace = 'leaky'): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        labels: { 'kubernetes.io/metadata.name': namespace, 'ci-key': p.awsAccessKeyId.value },
        annotations: { 'example.com/deploy-token': p.jwt.value },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `leak-${p.awsAccessKeyId.value}`,
        namespace,
        labels: { app: 'leak', 'access-key': p.awsAccessKeyId.value },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': lastApplied,
          'example.com/github': p.githubToken.value,
          'example.com/db': p.urlCredentials.value,
        },
      },
      spec: {
        selector: { matchLabels: { app: 'leak' } },
        template: {
          metadata: { labels: { app: 'leak' }, annotations: { 'example.com/session': p.jwt.value } },
          spec: {
            volumes: [{ name: 'app-config', hostPath: { path: p.hostPathPassword.value } }],
            containers: [
              {
                name: `c-${p.awsAccessKeyId.value}`,
                image: p.imageCredentials.value,
                env: [
                  { name: 'AWS_ACCESS_KEY_ID', value: p.awsAccessKeyId.value },
                  { name: 'AWS_SECRET_ACCESS_KEY', value: p.awsSecretAccessKey.value },
                  { name: 'DB_PASSWORD', value: p.password.value },
                  { name: 'GITHUB_TOKEN', value: p.githubToken.value },
                  { name: 'DATABASE_URL', value: p.urlCredentials.value },
                  { name: 'TLS_KEY', value: p.privateKey.value },
                  { name: 'SESSION', value: p.jwt.value },
                  { name: 'JAVA_OPTS', value: p.passwordAssignment.value },
                  { name: 'DB_CONN', value: p.connectionString.value },
                  { name: 'OAUTH', value: p.secretAssignment.value },
                ],
                args: [`--db=${p.urlCredentials.value}`, `--token=${p.jwt.value}`],
              },
              {
                name: 'puller',
                image: `https://robot:${p.password.value}@registry.example.com/shop/sidecar:2.0`,
                command: ['sh', '-c', `curl -H 'Authorization: Bearer ${p.githubToken.value}' https://api.example.com`],
              },
            ],
          },
        },
      },
    },
    {
      // Other clouds' credentials and private keys in odd armour: in env values, and as image references and
      // container names (quoted by the image and container messages).
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'leak-clouds', namespace },
      spec: {
        selector: { matchLabels: { app: 'leak-clouds' } },
        template: {
          metadata: { labels: { app: 'leak-clouds' } },
          spec: {
            containers: [
              {
                name: `c-${p.azureClientSecret.value}`,
                image: p.azureSas.value,
                env: [
                  { name: 'AZURE_CLIENT_SECRET', value: p.azureClientSecret.value },
                  { name: 'STORAGE', value: p.azureConnectionString.value },
                  { name: 'BLOB_URL', value: p.azureSas.value },
                  { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: p.gcpServiceAccount.value },
                  { name: 'MAPS', value: p.googleApiKey.value },
                  { name: 'DEPLOY_KEY_PEM', value: p.privateKeyFourDashes.value },
                  { name: 'SSH_IDENTITY', value: p.opensshKey.value },
                  { name: 'PPK', value: p.puttyKey.value },
                  { name: 'MAIL_OPTS', value: p.apiKeyAssignment.value },
                ],
              },
              ...[p.googleApiKey, p.privateKeyFourDashes, p.opensshKey, p.puttyKey, p.gcpServiceAccount, p.azureConnectionString].map(
                (planted, i) => ({ name: `image-${i}`, image: planted.value }),
              ),
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace, annotations: { 'example.com/aws': p.awsAccessKeyId.value } },
      data: {
        'application.properties': `db.url=${p.urlCredentials.value}\ndb.password=${p.password.value}\naws.accessKeyId=${p.awsAccessKeyId.value}\naws.secretKey=${p.awsSecretAccessKey.value}\n`,
        id_rsa: p.privateKey.value,
        api_token: p.githubToken.value,
        jwt: p.jwt.value,
      },
    },
  ];
}

import { BACKENDS } from '../../support/backends';
import {
  ArtifactApp,
  createArtifactApp,
  createRun,
  DESTINATION_KINDS,
  downloadDigest,
  MB,
  PROXY,
  randomStream,
  rawHttp,
  rssSampler,
} from './artifact-support';

const SIZE_MB = 200;
/** The proxy streams: neither direction may hold a sizeable part of the file in memory. */
const MAX_RSS_GROWTH = 64 * MB;

// The database plays no part in the data path, so one backend is enough here.
describe.each(DESTINATION_KINDS)('a large artifact through the proxy over %s', (kind) => {
  let app: ArtifactApp;

  beforeAll(async () => {
    app = await createArtifactApp(BACKENDS[0], kind);
  });

  afterAll(async () => {
    await app?.close();
  });

  it(`streams ${SIZE_MB} MB up and down over ${kind}, intact, with bounded memory`, async () => {
    const run = await createRun(app.t);
    const target = `${PROXY}/${run.prefix}/big/model.bin`;
    const source = randomStream(MB, SIZE_MB);

    const uploadMemory = rssSampler();
    const upload = await rawHttp(app.baseUrl, 'PUT', target, {
      headers: { 'Content-Type': 'application/octet-stream' },
      body: source.stream,
    });
    const uploadGrowth = uploadMemory.stop();
    expect([upload.status, upload.body.toString()]).toEqual([200, '{}']);

    const listing = await rawHttp(app.baseUrl, 'GET', `${PROXY}?path=${run.prefix}/big`);
    expect(listing.json()).toEqual({
      files: [{ path: 'model.bin', is_dir: false, file_size: SIZE_MB * MB }],
    });

    const downloadMemory = rssSampler();
    const download = await downloadDigest(app.baseUrl, target);
    const downloadGrowth = downloadMemory.stop();
    expect([download.status, download.size, download.sha256]).toEqual([
      200,
      SIZE_MB * MB,
      source.sha256(),
    ]);

    expect(uploadGrowth).toBeLessThan(MAX_RSS_GROWTH);
    expect(downloadGrowth).toBeLessThan(MAX_RSS_GROWTH);
  }, 180_000);
});

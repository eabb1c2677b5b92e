import { posix } from 'node:path';
import { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import {
  artifactPathOfUri,
  artifactPathUnder,
  ArtifactStore,
  canonicalArtifactPath,
  FileInfo,
  LIMITS,
  LoggedModelStore,
  MlflowError,
  RunStore,
} from '@app/domain';

export interface RunArtifactListing {
  rootUri: string;
  /** Paths relative to the run's artifact root. */
  files: FileInfo[];
}

export interface RunArtifactDownload {
  fileName: string;
  stream: Readable;
}

function tooLarge(): MlflowError {
  return MlflowError.invalidParameterValue('Artifact size is too large. Max size is 10MB.');
}

/** Reads the body whole; past `limit` it fails, and the rest is discarded as it arrives. */
function readAtMost(body: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reject(tooLarge());
      } else {
        chunks.push(chunk);
      }
    });
    body.once('end', () => resolve(Buffer.concat(chunks)));
    body.once('error', reject);
  });
}

/**
 * The tracking server's own artifact routes (MLflow's `list_artifacts`, `get_artifact_handler`,
 * `upload_artifact_handler`): paths are relative to a run's artifact root, which is resolved
 * from the backend store and read through the same ArtifactStore as the proxy. The client path
 * is checked before the run is looked up, as MLflow does.
 */
@Injectable()
export class ArtifactsService {
  constructor(
    private readonly runs: RunStore,
    private readonly loggedModels: LoggedModelStore,
    private readonly store: ArtifactStore,
  ) {}

  async list(runId: string, path: string | undefined): Promise<RunArtifactListing> {
    const relative = canonicalArtifactPath(path ?? '');
    const run = await this.runs.getRunInfo(runId);
    return this.listUnder(run.artifactUri, relative);
  }

  async download(runId: string, path: string): Promise<RunArtifactDownload> {
    const relative = canonicalArtifactPath(path);
    const run = await this.runs.getRunInfo(runId);
    return this.downloadUnder(run.artifactUri, relative);
  }

  /** A directory of an MLflow 3.x logged model's artifacts (paths relative to its root). */
  async listLoggedModel(modelId: string, path: string | undefined): Promise<RunArtifactListing> {
    const relative = canonicalArtifactPath(path ?? '');
    const model = await this.loggedModels.getLoggedModel(modelId);
    return this.listUnder(model.artifactLocation, relative);
  }

  async downloadLoggedModel(modelId: string, path: string): Promise<RunArtifactDownload> {
    const relative = canonicalArtifactPath(path);
    const model = await this.loggedModels.getLoggedModel(modelId);
    return this.downloadUnder(model.artifactLocation, relative);
  }

  private async listUnder(rootUri: string, relative: string): Promise<RunArtifactListing> {
    const entries =
      (await this.store.list(artifactPathUnder(this.storePathOf(rootUri), relative))) ?? [];
    return {
      rootUri,
      files: entries.map((e) => ({ ...e, path: relative ? `${relative}/${e.path}` : e.path })),
    };
  }

  private async downloadUnder(rootUri: string, relative: string): Promise<RunArtifactDownload> {
    const target = artifactPathUnder(this.storePathOf(rootUri), relative);
    return { fileName: posix.basename(target), stream: await this.store.openRead(target) };
  }

  /** The UI's small uploads: at most 10 MB, read whole (as MLflow does), never empty. */
  async upload(
    runId: string | undefined,
    path: string | undefined,
    body: Readable,
    contentLength: number | undefined,
  ): Promise<void> {
    try {
      await this.uploadSmall(runId, path, body, contentLength);
    } catch (error) {
      // Clients send the whole body before they read the answer: let the rest drain.
      body.resume();
      throw error;
    }
  }

  private async uploadSmall(
    runId: string | undefined,
    path: string | undefined,
    body: Readable,
    contentLength: number | undefined,
  ): Promise<void> {
    if (!runId) throw MlflowError.invalidParameterValue('Request must specify run_uuid.');
    if (!path) throw MlflowError.invalidParameterValue('Request must specify path.');
    const relative = canonicalArtifactPath(path);
    if (relative === '') throw MlflowError.invalidParameterValue('Invalid path');
    if (contentLength !== undefined && contentLength > LIMITS.uiUploadMaxBytes) throw tooLarge();
    const data = await readAtMost(body, LIMITS.uiUploadMaxBytes);
    if (data.length === 0) throw MlflowError.invalidParameterValue('Request must specify data.');
    const run = await this.runs.getRunInfo(runId);
    await this.store.write(
      artifactPathUnder(this.storePathOf(run.artifactUri), relative),
      Readable.from([data]),
    );
  }

  /** A file the server itself writes below a run's artifact root (the prompt lab's table). */
  async writeRunFile(artifactUri: string, relative: string, data: Buffer): Promise<void> {
    await this.store.write(
      artifactPathUnder(this.storePathOf(artifactUri), relative),
      Readable.from([data]),
    );
  }

  /** Where an artifact root's files are in the store; roots created elsewhere may point outside it. */
  private storePathOf(rootUri: string): string {
    const root = artifactPathOfUri(rootUri);
    if (root === null) {
      throw MlflowError.invalidParameterValue(
        `The artifacts at ${rootUri} are not stored on this server.`,
      );
    }
    return root;
  }
}

/**
 * The `local` backend: a model in this process, every step masked by the engine (orchestrator.ts),
 * behind the same GenerationBackend contract as the servers, so `ananke generate` has one path.
 */
import type { GenerationBackend, BackendResult } from '../backend.ts';
import type { LocalModel } from '../local-model.ts';
import { Maze, type GenerateRequest } from '../orchestrator.ts';

export class LocalBackend implements GenerationBackend {
  readonly kind = 'local' as const;
  readonly description: string;

  constructor(readonly model: LocalModel, private readonly maze: Maze = new Maze()) {
    this.description = `local model ${model.name}`;
  }

  generate(req: GenerateRequest): Promise<BackendResult> {
    return this.maze.generate(this.model, req);
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

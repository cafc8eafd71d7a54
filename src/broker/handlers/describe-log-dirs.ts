// DescribeLogDirs: each configured log dir with the partitions it holds and their sizes on disk
// (offsetLag 0 and no future replicas: this single node never moves replicas between dirs), and
// from v4 the dir's total and usable bytes from statfs.
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ErrorCode } from '../../protocol/error-codes.js';
import { DescribeLogDirs, type DescribeLogDirsRequest, type DescribeLogDirsResponse } from '../../protocol/messages/describe-log-dirs.js';
import type { Route } from '../router.js';
import type { BrokerState } from '../state.js';

type DirResult = DescribeLogDirsResponse['results'][number];

export function describeLogDirsRoute(state: BrokerState): Route {
  return {
    api: DescribeLogDirs,
    versions: [1, 4],
    handle(req: DescribeLogDirsRequest): DescribeLogDirsResponse {
      const wanted = req.topics === null ? null : new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)]));
      const dirs = new Map<string, DirResult>();
      for (const configured of state.config.logDirs) {
        const logDir = resolve(configured);
        let space = { totalBytes: -1n, usableBytes: -1n };
        let errorCode = 0;
        try {
          const s = statfsSync(logDir, { bigint: true });
          space = { totalBytes: s.blocks * s.bsize, usableBytes: s.bavail * s.bsize };
        } catch {
          errorCode = ErrorCode.KAFKA_STORAGE_ERROR;
        }
        dirs.set(logDir, { errorCode, logDir, topics: [], ...space });
      }
      for (const topic of state.metadata.all()) {
        const only = wanted === null ? undefined : wanted.get(topic.name);
        if (wanted !== null && only === undefined) continue;
        for (const p of state.partitions.ofTopic(topic.name)) {
          if (only !== undefined && !only.has(p.index)) continue;
          const dir = dirs.get(resolve(dirname(p.log.dir)));
          if (!dir || dir.errorCode !== 0) continue;
          let entry = dir.topics.find((t) => t.name === topic.name);
          if (!entry) dir.topics.push((entry = { name: topic.name, partitions: [] }));
          entry.partitions.push({ partitionIndex: p.index, partitionSize: BigInt(p.log.sizeInBytes), offsetLag: 0n, isFutureKey: false });
        }
      }
      return { throttleTimeMs: 0, errorCode: 0, results: [...dirs.values()] };
    },
  };
}

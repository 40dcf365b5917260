// One long-running action at a time, with a Chinese progress label and the failure shown where the user looks.
import { useCallback, useRef, useState } from 'react';
import type { Issue } from '../../forms/types';
import { ApiError } from '../api/client';

export interface Failure {
  message: string;
  issues: Issue[];
  status?: number;
}

export interface Task {
  busy: string | null;
  progress: number | undefined;
  failure: Failure | null;
  setProgress(label: string, value?: number): void;
  run<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
  clearFailure(): void;
}

export function toFailure(err: unknown): Failure {
  if (err instanceof ApiError) return { message: err.message, issues: err.issues, status: err.status };
  const message =
    err instanceof Error && /[\u4e00-\u9fff]/.test(err.message)
      ? err.message
      : `操作失败:${String((err as Error)?.message ?? err)}。请重试;多次失败请联系州环境局。`;
  return { message, issues: [] };
}

export function useTask(): Task {
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgressValue] = useState<number | undefined>(undefined);
  const [failure, setFailure] = useState<Failure | null>(null);
  const running = useRef(false);
  const setProgress = useCallback((label: string, value?: number) => {
    setBusy(label);
    setProgressValue(value);
  }, []);
  const run = useCallback(async <T>(label: string, work: () => Promise<T>) => {
    if (running.current) return undefined;
    running.current = true;
    setFailure(null);
    setBusy(label);
    setProgressValue(undefined);
    try {
      return await work();
    } catch (err) {
      setFailure(toFailure(err));
      return undefined;
    } finally {
      running.current = false;
      setBusy(null);
      setProgressValue(undefined);
    }
  }, []);
  return { busy, progress, failure, setProgress, run, clearFailure: useCallback(() => setFailure(null), []) };
}

import { Response } from 'express';

/** REST error body: {error: {code, message}}, with the HTTP status that fits. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export function sendApiError(res: Response, err: ApiError): void {
  res.status(err.status).json({ error: { code: err.code, message: err.message } });
}

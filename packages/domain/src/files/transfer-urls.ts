import { randomBytes } from "node:crypto";

/**
 * Download and Upload tasks hand the CPE a URL that names the task and carries a random token stored on the
 * task: only that device, while that task runs, can fetch or deliver the file.
 */
export function newTransferToken(): string {
  return randomBytes(16).toString("hex");
}

export function downloadUrl(base: string, taskId: string, token: string, fileName: string): string {
  return `${base}/files/${taskId}/${token}/${encodeURIComponent(fileName)}`;
}

export function uploadUrl(base: string, taskId: string, token: string): string {
  return `${base}/uploads/${taskId}/${token}`;
}

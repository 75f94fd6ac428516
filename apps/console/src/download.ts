/**
 * CSV downloads: the API's `.csv` routes need the bearer token, so a plain link cannot fetch them.
 * The screen fetches through `api` (`parseAs: 'blob'`) and hands the answer to `saveFile`, which
 * saves it through a Blob link with a `download` attribute, under the server's file name (it
 * carries the range) or the one the screen gives.
 */
export function fileNameOf(response: Response | undefined, fallback: string): string {
  const disposition = response?.headers.get('content-disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(disposition);
  return match?.[1] ?? fallback;
}

export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

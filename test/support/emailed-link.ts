/**
 * Follows an emailed single-use link as a reader's browser does: GET the link (a page with a
 * "Continue" form; nothing is used yet), then post that form with the page's cookie. Answers
 * both responses; `redirect: 'manual'`, so the post's 303 is seen, not followed.
 */
export async function followEmailedLink(
  baseUrl: string,
  link: string,
): Promise<{ page: FetchAnswer; post: FetchAnswer }> {
  const url = link.startsWith('http') ? link : `${baseUrl}${link}`;
  const page = await openEmailedLink(baseUrl, link);
  if (page.status !== 200) return { page, post: page };
  return { page, post: await postContinueForm(url, page) };
}

/** GET of an emailed link: its page (nothing used), with the cookie it set. */
export async function openEmailedLink(baseUrl: string, link: string): Promise<FetchAnswer> {
  return answer(await fetch(link.startsWith('http') ? link : `${baseUrl}${link}`, { redirect: 'manual' }));
}

export interface FetchAnswer {
  status: number;
  text: string;
  headers: Headers;
  /** `name=value` of the cookies it set, for the next request. */
  cookie: string;
}

/** Posts the first form of a page (its hidden fields) to its action, with the page's cookies. */
export async function postContinueForm(pageUrl: string, page: FetchAnswer, cookie = page.cookie): Promise<FetchAnswer> {
  const form = page.text.match(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/);
  if (!form) throw new Error(`no form on the page:\n${page.text}`);
  const fields = new URLSearchParams();
  for (const [, name, value] of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(
      name,
      value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
    );
  }
  const res = await fetch(new URL(form[1], pageUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: fields.toString(),
  });
  return answer(res);
}

async function answer(res: Response): Promise<FetchAnswer> {
  return {
    status: res.status,
    text: await res.text(),
    headers: res.headers,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
}

import { type FormEvent, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Link, Problem } from '../components';
import type { SupporterSearchResult as SearchResult } from '../types';

/** Find a supporter by name, email, any phone format or postcode (GET /api/supporters?q=). */
export function Supporters() {
  const [results, setResults] = useState<SearchResult[]>();
  const [error, setError] = useState<ApiError>();
  async function search(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('q')).trim();
    const { data, error } = await api.GET('/api/supporters', { params: { query: { q } } });
    setError(error);
    setResults(data);
  }
  return (
    <section aria-labelledby="supporters-title">
      <h1 id="supporters-title">Find a supporter</h1>
      <form onSubmit={(e) => void search(e)} role="search" noValidate>
        <Field label="Name, email, phone or postcode" name="q" type="search" required error={error} />
        <button type="submit">Search</button>
      </form>
      <Problem error={error} fields={['q']} />
      {results && (
        <table>
          <caption>
            {results.length === 0
              ? 'No supporter matches.'
              : `${results.length} supporter${results.length === 1 ? '' : 's'}`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Phone</th>
              <th scope="col">Postcode</th>
            </tr>
          </thead>
          <tbody>
            {results.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/supporters/${s.id}`}>{s.name ?? s.email ?? s.id}</Link>
                </td>
                <td>{s.email ?? '—'}</td>
                <td>{s.phone ?? '—'}</td>
                <td>{s.address?.postcode ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

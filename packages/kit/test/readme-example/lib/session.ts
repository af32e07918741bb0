// The app's own authentication, as the README's example uses it: declared, not made.

/** The visitor's session (from its cookie): the scope of a form's keys. */
export declare function currentSession(): Promise<{ id: string }>;

/** The API client a request's `Authorization: Bearer …` names, or null (a 401). */
export declare function bearerToken(request: Request): Promise<string | null>;

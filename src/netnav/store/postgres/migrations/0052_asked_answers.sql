-- Answers of questions asked through the web pages, kept under opaque ids (the web's "answers by id", so
-- no question travels in a URL), shared by the server processes: the POST that answers and the GET it
-- redirects to may reach different workers. `session` is the session's digest; `payload` the entry's JSON.
CREATE TABLE asked_answers (
    session     TEXT NOT NULL,
    id          TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (session, id)
);
CREATE INDEX asked_answers_session ON asked_answers (session, created_at);
CREATE INDEX asked_answers_created ON asked_answers (created_at);

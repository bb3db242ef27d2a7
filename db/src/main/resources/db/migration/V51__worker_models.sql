-- GET /v1/models (issue 12): what each worker reports about the model variants it can render.
-- Workers upsert their rows at start, when a variant is loaded, and every heartbeat period; rows
-- of workers not seen for a while are shown as gone (a small table the workers registry of issue
-- 13 may later fold in).
CREATE TABLE worker_models (
    worker           text        NOT NULL,
    model            text        NOT NULL,
    loaded           boolean     NOT NULL,
    weights_present  boolean     NOT NULL,
    precision        text,
    device           text,
    load_millis      bigint,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (worker, model)
);

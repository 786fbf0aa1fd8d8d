// The store's schema, as the migrations that made it (store/migrations.h).
#include "store/migrations.h"

#include <iterator>

namespace clemency {

// Each entry moves the schema from version i to i+1. Never edit one that has shipped.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  section TEXT NOT NULL,
  slug TEXT NOT NULL,
  lang TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  published TEXT NOT NULL,
  updated TEXT NOT NULL,
  updated_unix INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0,
  weight INTEGER NOT NULL DEFAULT 0,
  source_path TEXT NOT NULL,
  source_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  body_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  change_note TEXT NOT NULL DEFAULT '',
  meta_json TEXT NOT NULL DEFAULT '{}',
  UNIQUE (section, slug, lang)
);
CREATE INDEX pages_by_update ON pages (updated_unix DESC, id DESC);
CREATE TABLE page_revisions (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  source_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  updated TEXT NOT NULL,
  change_note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (page_id, content_hash)
);
CREATE TABLE support_entries (
  page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  organisation TEXT NOT NULL,
  services TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  hours TEXT NOT NULL DEFAULT '',
  lat REAL,
  lon REAL,
  verified TEXT NOT NULL
);
CREATE INDEX support_by_province ON support_entries (province);
)sql",
    // A support entry's services as rows, not a comma-joined text matched with LIKE.
    R"sql(
CREATE TABLE support_services (
  page_id INTEGER NOT NULL REFERENCES support_entries(page_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  service TEXT NOT NULL,
  PRIMARY KEY (page_id, position)
) WITHOUT ROWID;
CREATE INDEX support_services_by_service ON support_services (service, page_id);
WITH RECURSIVE split(page_id, position, service, rest) AS (
  SELECT page_id, -1, NULL, services || ',' FROM support_entries
  UNION ALL
  SELECT page_id, position + 1, substr(rest, 1, instr(rest, ',') - 1),
         substr(rest, instr(rest, ',') + 1)
  FROM split WHERE rest <> ''
)
INSERT INTO support_services (page_id, position, service)
SELECT page_id, position, service FROM split WHERE position >= 0 AND service <> '';
ALTER TABLE support_entries DROP COLUMN services;
)sql",
    // Revisions with a change type; the last announced change apart from the last change; a log
    // of what each publish did.
    R"sql(
ALTER TABLE pages ADD COLUMN public_updated TEXT NOT NULL DEFAULT '';
UPDATE pages SET public_updated = updated;
ALTER TABLE page_revisions ADD COLUMN change_type TEXT NOT NULL DEFAULT 'major';
CREATE TABLE publish_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  what TEXT NOT NULL,
  steps TEXT NOT NULL
);
)sql",
    // Removals are records: a withdrawn page keeps its row as a tombstone.
    R"sql(
ALTER TABLE pages ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE pages ADD COLUMN withdrawn_at TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
)sql",
    // What changed since a copy was read, from an index alone (the rows hold whole pages).
    R"sql(
CREATE INDEX pages_by_status_path ON pages (status, source_path, content_hash);
)sql",
    // Places after the 2025 reform (the province merged into, a commune) and who confirmed an
    // entry; `verified` is '' for an entry nobody has confirmed.
    R"sql(
ALTER TABLE support_entries ADD COLUMN current_province TEXT NOT NULL DEFAULT '';
ALTER TABLE support_entries ADD COLUMN commune TEXT NOT NULL DEFAULT '';
ALTER TABLE support_entries ADD COLUMN verified_by TEXT NOT NULL DEFAULT '';
CREATE INDEX support_by_current_province ON support_entries (current_province);
)sql",
    // Editors' accounts (passwords as Argon2id strings) and the audit log of what people did.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
  password_hash TEXT NOT NULL,
  disabled_at TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)sql",
    // The editorial workflow: who wrote, approved and published each revision; edits not yet
    // published (at most one open per page file) with every saved version; bearer tokens, hashed.
    R"sql(
ALTER TABLE page_revisions ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE page_revisions ADD COLUMN approver TEXT NOT NULL DEFAULT '';
ALTER TABLE page_revisions ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  source_path TEXT NOT NULL,
  base_hash TEXT NOT NULL,
  source_text TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'scheduled',
                                       'published', 'discarded')),
  change_type TEXT NOT NULL DEFAULT 'major',
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  approver TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  legal_review INTEGER NOT NULL DEFAULT 0,
  review_comment TEXT NOT NULL DEFAULT '',
  publish_at TEXT NOT NULL DEFAULT '',
  publish_at_unix INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX edits_one_open ON edits (source_path)
  WHERE state IN ('draft', 'submitted', 'approved', 'scheduled');
CREATE INDEX edits_due ON edits (publish_at_unix) WHERE state = 'scheduled';
CREATE TABLE edit_versions (
  edit_id INTEGER NOT NULL REFERENCES edits(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  source_text TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (edit_id, version)
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
)sql",
    // The language a withdrawal's reason is written in, when it is not the page's own (a
    // translation withdrawn with the default language's reason): readers are told so.
    R"sql(
ALTER TABLE pages ADD COLUMN withdrawn_reason_lang TEXT NOT NULL DEFAULT '';
)sql",
    // Search: each published page's words, folded by i18n's search text (so FTS5's ascii
    // tokenizer only splits at spaces and never has to understand Khmer), rowid = pages.id; and
    // the termbase's variants of a language as synonyms of the site's term.
    R"sql(
CREATE VIRTUAL TABLE search_fts USING fts5(title, headings, terms, body, tokenize = 'ascii',
                                           prefix = '1 2 3');
CREATE TABLE search_synonyms (
  lang TEXT NOT NULL,
  variant TEXT NOT NULL,
  term TEXT NOT NULL,
  term_folded TEXT NOT NULL,
  PRIMARY KEY (lang, variant)
) WITHOUT ROWID;
)sql",
    // Partners: whether a page is a story retold from a press report (set from its parsed front
    // matter; rows stored before are read from the consent basis their meta records); the type
    // of each row's last change; and the change stream (GET /api/v1/changes): one row per change
    // of a page's record, written by triggers in the transaction that changes it, so every path
    // that writes pages (import, publish, unpublish, a translation's arrival) is in it, in commit
    // order. `visible_unix` is when readers may see it: the commit, or a scheduled page's time.
    R"sql(
ALTER TABLE pages ADD COLUMN retold_report INTEGER NOT NULL DEFAULT 0;
UPDATE pages SET retold_report = 1 WHERE meta_json LIKE '%"basis":"published-report"%';
ALTER TABLE pages ADD COLUMN change_type TEXT NOT NULL DEFAULT 'major';
CREATE TABLE page_changes (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  change_type TEXT NOT NULL,
  at TEXT NOT NULL,
  visible_unix INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX page_changes_in_order ON page_changes (visible_unix, id);
INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
SELECT id, status, CASE WHEN status <> 'published' THEN status ELSE 'major' END, updated,
       CASE WHEN status = 'published' THEN max(updated_unix, coalesce(unixepoch(published), 0))
            ELSE updated_unix END, draft
FROM pages ORDER BY updated_unix, id;
CREATE TRIGGER page_change_on_insert AFTER INSERT ON pages BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'), CASE WHEN new.status = 'published'
                                     THEN coalesce(unixepoch(new.published), 0) ELSE 0 END),
          new.draft);
END;
CREATE TRIGGER page_change_on_update AFTER UPDATE ON pages
WHEN old.content_hash IS NOT new.content_hash OR old.status IS NOT new.status
  OR old.updated_unix IS NOT new.updated_unix OR old.meta_json IS NOT new.meta_json
  OR old.draft IS NOT new.draft
BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status
               WHEN old.status <> 'published' THEN new.change_type
               WHEN old.content_hash = new.content_hash AND old.meta_json = new.meta_json
                    AND old.draft = new.draft THEN 'translations'
               ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'), CASE WHEN new.status = 'published'
                                     THEN coalesce(unixepoch(new.published), 0) ELSE 0 END),
          old.draft AND new.draft);
END;
)sql",
    // WebSub (W3C) subscriptions of serve's hub: a subscriber's callback for one feed (topic),
    // verified before it is stored; its secret signs the content it is sent (HMAC), so it is
    // kept as given; a lease ends at expires_unix.
    R"sql(
CREATE TABLE websub_subscriptions (
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  lease_seconds INTEGER NOT NULL,
  expires_unix INTEGER NOT NULL,
  verified_unix INTEGER NOT NULL,
  PRIMARY KEY (topic, callback)
) WITHOUT ROWID;
CREATE INDEX websub_by_expiry ON websub_subscriptions (expires_unix);
)sql",
    // Uploaded images (media): one row per image with its alt text in each language (JSON),
    // caption, credit and the consent basis of the people it shows; its written copies (full
    // width and narrower ones, already stripped of metadata) by site path.
    R"sql(
CREATE TABLE media (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  alt_json TEXT NOT NULL,
  alt_search TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  credit TEXT NOT NULL DEFAULT '',
  consent_basis TEXT NOT NULL,
  consent_given_by TEXT NOT NULL DEFAULT '',
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE TABLE media_files (
  path TEXT PRIMARY KEY,
  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  bytes BLOB NOT NULL
);
)sql",
    // Editors' e-mail addresses and the language of the notices sent there (submitted for
    // review: the publishers are told).
    R"sql(
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';
)sql",
    // The change stream read in its index's order: a translation's change is stamped, when it is
    // written, with the time its source goes live when that is later (its page answers 404 until
    // then), instead of being worked out per row at every read. `is_translation`: the row's front
    // matter has `translation_status`, which the loader requires of every language but the
    // default one and refuses in it. A source written as scheduled moves its translations'
    // changes to its time (never earlier: no follower's cursor passes a change it has not seen).
    // Rows already written are stamped as the read placed them, so cursors given out stay valid.
    R"sql(
ALTER TABLE pages ADD COLUMN is_translation INTEGER GENERATED ALWAYS AS (
  CASE WHEN json_valid(meta_json) THEN json_extract(meta_json, '$.translation_status') IS NOT NULL
       ELSE 0 END) VIRTUAL;
CREATE INDEX page_changes_by_page ON page_changes (page_id);
UPDATE page_changes SET visible_unix = max(visible_unix, coalesce(
  (SELECT unixepoch(src.published) FROM pages p JOIN pages src
     ON src.section = p.section AND src.slug = p.slug AND NOT src.is_translation
    AND src.draft = 0 AND src.status = 'published'
   WHERE p.id = page_changes.page_id AND p.is_translation), 0));
DROP TRIGGER page_change_on_insert;
DROP TRIGGER page_change_on_update;
CREATE TRIGGER page_change_on_insert AFTER INSERT ON pages BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'),
              CASE WHEN new.status = 'published'
                   THEN coalesce(unixepoch(new.published), 0) ELSE 0 END,
              CASE WHEN new.is_translation THEN coalesce(
                (SELECT unixepoch(src.published) FROM pages src
                 WHERE src.section = new.section AND src.slug = new.slug
                   AND NOT src.is_translation AND src.draft = 0 AND src.status = 'published'), 0)
                   ELSE 0 END),
          new.draft);
END;
CREATE TRIGGER page_change_on_update AFTER UPDATE ON pages
WHEN old.content_hash IS NOT new.content_hash OR old.status IS NOT new.status
  OR old.updated_unix IS NOT new.updated_unix OR old.meta_json IS NOT new.meta_json
  OR old.draft IS NOT new.draft
BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status
               WHEN old.status <> 'published' THEN new.change_type
               WHEN old.content_hash = new.content_hash AND old.meta_json = new.meta_json
                    AND old.draft = new.draft THEN 'translations'
               ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'),
              CASE WHEN new.status = 'published'
                   THEN coalesce(unixepoch(new.published), 0) ELSE 0 END,
              CASE WHEN new.is_translation THEN coalesce(
                (SELECT unixepoch(src.published) FROM pages src
                 WHERE src.section = new.section AND src.slug = new.slug
                   AND NOT src.is_translation AND src.draft = 0 AND src.status = 'published'), 0)
                   ELSE 0 END),
          old.draft AND new.draft);
END;
CREATE TRIGGER page_change_hold_translations_on_insert AFTER INSERT ON pages
WHEN NOT new.is_translation AND new.status = 'published' AND new.draft = 0
  AND unixepoch(new.published) > unixepoch('now')
BEGIN
  UPDATE page_changes SET visible_unix = unixepoch(new.published)
  WHERE page_id IN (SELECT t.id FROM pages t WHERE t.section = new.section
                      AND t.slug = new.slug AND t.is_translation)
    AND visible_unix < unixepoch(new.published);
END;
CREATE TRIGGER page_change_hold_translations_on_update AFTER UPDATE ON pages
WHEN NOT new.is_translation AND new.status = 'published' AND new.draft = 0
  AND unixepoch(new.published) > unixepoch('now')
BEGIN
  UPDATE page_changes SET visible_unix = unixepoch(new.published)
  WHERE page_id IN (SELECT t.id FROM pages t WHERE t.section = new.section
                      AND t.slug = new.slug AND t.is_translation)
    AND visible_unix < unixepoch(new.published);
END;
)sql",
    // Search: what a search filters its matches by, one small row per page a reader's search
    // can find (an indexed page that is neither a draft nor a list page), so a query never
    // reads `pages` for a match: a common two-word query matches ~4,800 pages of the 15k-page
    // bench, and each `pages` row spans database pages of its own (source, HTML, text).
    // published_unix is unixepoch(published): NULL when that is not a date (never found then).
    R"sql(
CREATE TABLE search_pages (
  id INTEGER PRIMARY KEY,
  lang TEXT NOT NULL,
  section TEXT NOT NULL,
  published_unix INTEGER
);
INSERT INTO search_pages (id, lang, section, published_unix)
SELECT id, lang, section, unixepoch(published) FROM pages
WHERE draft = 0 AND slug <> '' AND id IN (SELECT rowid FROM search_fts);
)sql",
};

const size_t kMigrationCount = std::size(kMigrations);

}  // namespace clemency

#include "editor_api/editor_json.h"

#include "http/http.h"

namespace clemency {

void WriteEdit(JsonWriter& json, const EditRow& edit, bool with_text) {
  json.BeginObject();
  json.Key("id").Int(edit.id);
  json.Field("etag", EditETag(edit));
  json.Key("version").Int(edit.version);
  json.Field("path", edit.source_path);
  json.Field("state", edit.state);
  json.Field("change_type", edit.change_type);
  json.Field("note", edit.note);
  json.Field("author", edit.author);
  json.FieldOrNull("approver", edit.approver);
  json.FieldOrNull("publisher", edit.publisher);
  json.Key("legal_review").Bool(edit.legal_review);
  json.FieldOrNull("review_comment", edit.review_comment);
  json.FieldOrNull("publish_at", edit.publish_at);
  json.Key("new_page").Bool(edit.base_hash.empty());
  json.Field("created_at", edit.created_at);
  json.Field("updated_at", edit.updated_at);
  json.FieldOrNull("published_at", edit.published_at);
  if (with_text) json.Field("text", edit.source_text);
  json.EndObject();
}

std::string EditJson(const EditRow& edit) {
  JsonWriter json;
  WriteEdit(json, edit, true);
  return json.str() + "\n";
}

void WriteDiagnostics(JsonWriter& json, const std::vector<Diagnostic>& items) {
  json.BeginArray();
  for (const Diagnostic& d : items) {
    json.BeginObject();
    json.Field("file", d.file);
    json.Key("line").Int(d.line);
    json.Field("field", d.field);
    json.Field("message", d.message);
    json.EndObject();
  }
  json.EndArray();
}

namespace {

void WriteMerge(JsonWriter& json, const MergeOffer& merge) {
  json.BeginObject();
  json.Key("clean").Bool(merge.clean);
  if (merge.clean) {
    json.Field("merged", merge.merged);
  } else {
    json.Key("merged").Null();
  }
  json.Key("conflicts").BeginArray();
  for (const auto& conflict : merge.conflicts) {
    json.BeginObject();
    json.Field("label", conflict.label);
    json.Field("base", conflict.base);
    json.Field("mine", conflict.mine);
    json.Field("theirs", conflict.theirs);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

}  // namespace

std::string RefusalJson(const Refusal& refusal) {
  JsonWriter json;
  json.BeginObject();
  json.Field("type", "about:blank");
  json.Field("title", http::StatusTitle(refusal.status));
  json.Key("status").Int(refusal.status);
  json.Field("detail", refusal.message);
  if (refusal.status == 422 || !refusal.diagnostics.empty()) {
    json.Key("diagnostics");
    WriteDiagnostics(json, refusal.diagnostics.items());
  }
  if (refusal.current) {
    json.Key("current");
    WriteEdit(json, *refusal.current, true);
    json.Key("mine").BeginObject().Field("text", refusal.mine).EndObject();
  }
  if (refusal.merge) {
    json.Key("merge");
    WriteMerge(json, *refusal.merge);
  }
  json.EndObject();
  return json.str() + "\n";
}

namespace {

// `"<key>": [{…}, …]`, each object's fields written by `write`.
template <typename T, typename Write>
void WriteObjects(JsonWriter& json, const char* key, const std::vector<T>& items, Write write) {
  json.Key(key).BeginArray();
  for (const T& item : items) {
    json.BeginObject();
    write(json, item);
    json.EndObject();
  }
  json.EndArray();
}

// `{"<key>": [{…}, …]}` and a newline.
template <typename T, typename Write>
std::string ObjectsJson(const char* key, const std::vector<T>& items, Write write) {
  JsonWriter json;
  json.BeginObject();
  WriteObjects(json, key, items, write);
  json.EndObject();
  return json.str() + "\n";
}

void WriteEditList(JsonWriter& json, const char* key, const std::vector<EditRow>& edits) {
  json.Key(key).BeginArray();
  for (const EditRow& edit : edits) WriteEdit(json, edit, false);
  json.EndArray();
}

}  // namespace

std::string DashboardJson(const Dashboard& dashboard) {
  JsonWriter json;
  json.BeginObject();
  WriteEditList(json, "drafts", dashboard.drafts);
  WriteEditList(json, "in_review", dashboard.in_review);
  WriteEditList(json, "approved", dashboard.approved);
  WriteEditList(json, "scheduled", dashboard.scheduled);
  WriteObjects(json, "translations", dashboard.translations,
               [](JsonWriter& j, const TranslationFlag& flag) {
                 j.Field("key", flag.key);
                 j.Field("lang", flag.lang);
                 j.FieldOrNull("path", flag.path);
                 j.Field("source_path", flag.source_path);
                 j.Field("status", flag.missing ? "missing" : "outdated");
                 j.FieldOrNull("translated_from", flag.translated_from);
                 j.FieldOrNull("source_updated", flag.source_updated);
                 j.FieldOrNull("diff_html", flag.diff_html);
               });
  json.EndObject();
  return json.str() + "\n";
}

std::string HistoryJson(const std::string& path, const std::vector<HistoryItem>& items) {
  JsonWriter json;
  json.BeginObject();
  json.Field("path", path);
  WriteObjects(json, "items", items, [](JsonWriter& j, const HistoryItem& item) {
    j.Field("ref", item.ref);
    j.Field("kind", item.kind);
    j.Field("at", item.at);
    j.Field("by", item.by);
    j.FieldOrNull("change_type", item.change_type);
    j.FieldOrNull("note", item.note);
    j.FieldOrNull("author", item.people.author);
    j.FieldOrNull("approver", item.people.approver);
    j.FieldOrNull("publisher", item.people.publisher);
  });
  json.EndObject();
  return json.str() + "\n";
}

std::string AuditJson(const std::vector<AuditRow>& rows) {
  return ObjectsJson("entries", rows, [](JsonWriter& j, const AuditRow& row) {
    j.Field("at", row.at);
    j.Field("actor", row.actor);
    j.Field("action", row.action);
    j.Field("subject", row.subject);
    j.Field("detail", row.detail);
  });
}

std::string PagesJson(const std::vector<TranslationState>& pages) {
  return ObjectsJson("pages", pages, [](JsonWriter& j, const TranslationState& page) {
    j.Field("path", page.source_path);
    j.Field("section", page.section);
    j.Field("slug", page.slug);
    j.Field("lang", page.lang);
    j.Field("title", page.title);
    j.Field("updated", page.updated);
    j.FieldOrNull("translated_from", page.translated_from);
  });
}

}  // namespace clemency

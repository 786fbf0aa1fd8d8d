#include "api/editor_json.h"

#include "api/http.h"

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
  json.Key("translations").BeginArray();
  for (const TranslationFlag& flag : dashboard.translations) {
    json.BeginObject();
    json.Field("key", flag.key);
    json.Field("lang", flag.lang);
    json.FieldOrNull("path", flag.path);
    json.Field("source_path", flag.source_path);
    json.Field("status", flag.missing ? "missing" : "outdated");
    json.FieldOrNull("translated_from", flag.translated_from);
    json.FieldOrNull("source_updated", flag.source_updated);
    json.FieldOrNull("diff_html", flag.diff_html);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

std::string HistoryJson(const std::string& path, const std::vector<HistoryItem>& items) {
  JsonWriter json;
  json.BeginObject();
  json.Field("path", path);
  json.Key("items").BeginArray();
  for (const HistoryItem& item : items) {
    json.BeginObject();
    json.Field("ref", item.ref);
    json.Field("kind", item.kind);
    json.Field("at", item.at);
    json.Field("by", item.by);
    json.FieldOrNull("change_type", item.change_type);
    json.FieldOrNull("note", item.note);
    json.FieldOrNull("author", item.people.author);
    json.FieldOrNull("approver", item.people.approver);
    json.FieldOrNull("publisher", item.people.publisher);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

std::string AuditJson(const std::vector<AuditRow>& rows) {
  JsonWriter json;
  json.BeginObject();
  json.Key("entries").BeginArray();
  for (const AuditRow& row : rows) {
    json.BeginObject();
    json.Field("at", row.at);
    json.Field("actor", row.actor);
    json.Field("action", row.action);
    json.Field("subject", row.subject);
    json.Field("detail", row.detail);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

std::string PagesJson(const std::vector<TranslationState>& pages) {
  JsonWriter json;
  json.BeginObject();
  json.Key("pages").BeginArray();
  for (const TranslationState& page : pages) {
    json.BeginObject();
    json.Field("path", page.source_path);
    json.Field("section", page.section);
    json.Field("slug", page.slug);
    json.Field("lang", page.lang);
    json.Field("title", page.title);
    json.Field("updated", page.updated);
    json.FieldOrNull("translated_from", page.translated_from);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace clemency

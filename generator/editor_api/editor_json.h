#pragma once
// The editor API's JSON documents: edits, refusals (as RFC 9457 problems with the versions of a
// conflict or the content checks' problems), the dashboard, history and the audit log.
#include <string>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "editorial/workflow.h"
#include "store/store.h"
#include "store/users.h"

namespace clemency {

// An edit as an object; its text only when `with_text`.
void WriteEdit(JsonWriter& json, const EditRow& edit, bool with_text);
std::string EditJson(const EditRow& edit);
// The problems as [{file, line, field, message}].
void WriteDiagnostics(JsonWriter& json, const std::vector<Diagnostic>& items);
// A refusal as a problem document: 412 adds `current` (with text and etag), `mine` and `merge`;
// 422 adds `diagnostics`.
std::string RefusalJson(const Refusal& refusal);
std::string DashboardJson(const Dashboard& dashboard);
std::string HistoryJson(const std::string& path, const std::vector<HistoryItem>& items);
std::string AuditJson(const std::vector<AuditRow>& rows);
// Published pages an edit may start from: {pages: [{path, section, slug, lang, title, updated,
// translated_from}]}.
std::string PagesJson(const std::vector<TranslationState>& pages);

}  // namespace clemency

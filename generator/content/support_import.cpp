#include "content/support_import.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "config/page_kinds.h"
#include "content/front_matter.h"
#include "content/loader.h"
#include "core/csv.h"
#include "core/text.h"

namespace clemency {
namespace {

// `verified` and `verified_by`: the date and the office or role that confirmed the entry still
// runs; a contact without them would read as checked when it is not.
const std::vector<std::string> kColumns = {"slug",  "phone",    "address",
                                           "hours", "verified", "verified_by"};
const char kHeader[] = "slug,phone,address,hours,verified,verified_by";

}  // namespace

std::vector<FileUpdate> PlanSupportImport(const FileSystem& fs, const std::string& source_dir,
                                          const std::string& csv_display,
                                          const std::string& csv_text, const SiteConfig& config,
                                          const DateTime& today, Diagnostics* diagnostics) {
  std::vector<FileUpdate> updates;
  size_t errors_before = diagnostics->size();
  auto rows = ParseCsv(csv_text);
  if (!rows.ok()) {
    diagnostics->Add(csv_display, 0, "", "not valid CSV: " + rows.status().message());
    return {};
  }
  if (rows->empty()) {
    diagnostics->Add(
        csv_display, 1, "",
        "empty file: expected a header row " + std::string(kHeader));
    return {};
  }
  const SectionConfig* section = nullptr;
  for (const auto& s : config.sections) {
    if (FindPageKind(s.kind)->support_fields) section = &s;
  }
  if (!section) {
    diagnostics->Add(csv_display, 0, "", "site/config.yaml has no section of kind support");
    return {};
  }
  // Header.
  const CsvRow& header = rows->front();
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = header.fields[i];
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      diagnostics->Add(csv_display, header.line, name,
                       "unknown column (expected " + std::string(kHeader) + ")");
    } else if (!column.emplace(name, i).second) {
      diagnostics->Add(csv_display, header.line, name, "column appears twice");
    }
  }
  for (const char* required : {"slug", "verified", "verified_by"}) {
    if (!column.count(required))
      diagnostics->Add(csv_display, header.line, required, "required column is missing");
  }
  if (diagnostics->size() != errors_before) return {};

  const std::string content_dir = JoinPath(source_dir, "content");
  const std::string section_dir = JoinPath(content_dir, section->name);
  std::set<std::string> seen;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    auto get = [&](const std::string& name) -> std::string {
      auto it = column.find(name);
      if (it == column.end() || it->second >= row.fields.size()) return "";
      std::string value = row.fields[it->second];
      size_t first = value.find_first_not_of(" \t");
      size_t last = value.find_last_not_of(" \t");
      return first == std::string::npos ? "" : value.substr(first, last - first + 1);
    };
    size_t row_errors = diagnostics->size();
    auto error = [&](const std::string& field, const std::string& message) {
      diagnostics->Add(csv_display, row.line, field, message);
    };
    if (row.fields.size() != header.fields.size()) {
      error("", "has " + std::to_string(row.fields.size()) + " fields, the header has " +
                    std::to_string(header.fields.size()));
      continue;
    }
    std::string slug = get("slug"), phone = get("phone"), address = get("address"),
                hours = get("hours"), verified_text = get("verified"),
                verified_by = get("verified_by");
    if (!IsSlug(slug)) {
      error("slug", "'" + slug + "' is not a slug");
    } else if (!fs.IsFile(JoinPath(section_dir, slug + "." + config.default_language + ".md"))) {
      error("slug", "no support entry content/" + section->name + "/" + slug + "." +
                        config.default_language + ".md");
    } else if (!seen.insert(slug).second) {
      error("slug", "'" + slug + "' appears in more than one row");
    }
    if (!phone.empty()) {
      size_t digits =
          std::count_if(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (phone.find_first_not_of("+0123456789 .-()") != std::string::npos || digits < 8 ||
          digits > 15) {
        error(
            "phone",
            "'" + phone + "' is not a phone number (8 to 15 digits, spaces and + . - ( ) allowed)");
      }
    }
    for (const auto& [name, value] : {std::pair{"address", address}, std::pair{"hours", hours}}) {
      if (value.find_first_of("\r\n") != std::string::npos) error(name, "must be on one line");
    }
    if (phone.empty() && address.empty() && hours.empty()) {
      error("", "gives no phone, address or hours");
    }
    auto verified = ParseDateTime(verified_text, config.utc_offset_minutes);
    if (!verified || verified->has_time) {
      error("verified", "'" + verified_text + "' is not a date like 2026-11-20");
    } else if (verified->unix_seconds > today.unix_seconds) {
      error("verified", verified_text + " is in the future");
    }
    if (verified_by.empty()) {
      error("verified_by", "is empty: name the office or role that confirmed the entry");
    } else if (verified_by.find_first_of("\r\n") != std::string::npos) {
      error("verified_by", "must be on one line");
    }
    if (diagnostics->size() != row_errors) continue;

    std::string contact = "contact:\n";
    if (!phone.empty()) contact += "  phone: " + YamlQuoted(phone) + "\n";
    if (!address.empty()) contact += "  address: " + YamlQuoted(address) + "\n";
    if (!hours.empty()) contact += "  hours: " + YamlQuoted(hours) + "\n";
    std::string verified_line = "verified: " + verified_text + "\nverified_by: " +
                                YamlQuoted(verified_by) + "\n";
    for (const auto& language : config.languages) {
      std::string relative = section->name + "/" + slug + "." + language.code + ".md";
      std::string path = JoinPath(content_dir, relative);
      auto text = fs.ReadFile(path);
      if (!text.ok()) continue;  // this translation does not exist
      FileUpdate update{path, ReplaceFrontMatterFields(*text, {"contact", "verified", "verified_by"},
                                                              contact + verified_line)};
      Page page;
      // The rewritten file must still be a valid page before anything is written.
      Diagnostics file_problems;
      if (!ParsePageFile(relative, "content/" + relative, update.text, config, &file_problems,
                         &page)) {
        for (const auto& d : file_problems.items()) error("", "would make " + d.ToString());
        continue;
      }
      updates.push_back(std::move(update));
    }
  }
  if (diagnostics->size() != errors_before) return {};
  return updates;
}

Status WriteFileUpdates(const std::vector<FileUpdate>& updates) {
  for (const auto& update : updates) {
    if (Status s = WriteFileAtomically(update.path + ".import-tmp", update.text); !s.ok()) {
      for (const auto& u : updates) std::remove((u.path + ".import-tmp").c_str());
      return Status::Error(s.message() + "; nothing was imported");
    }
  }
  for (const auto& update : updates) {
    if (std::rename((update.path + ".import-tmp").c_str(), update.path.c_str()) != 0) {
      return Status::Error("cannot replace " + update.path + ": " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

}  // namespace clemency

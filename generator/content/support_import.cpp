#include "content/support_import.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "config/page_kinds.h"
#include "content/page_file.h"
#include "content/loader.h"
#include "core/csv.h"
#include "core/text.h"
#include "i18n/messages.h"

namespace clemency {
namespace {

// `verified` and `verified_by`: the date and the office or role that confirmed the entry still
// runs; a contact without them would read as checked when it is not.
const std::vector<std::string> kColumns = {"slug",  "phone",    "address",
                                           "hours", "verified", "verified_by"};
const char kHeader[] = "slug,phone,address,hours,verified,verified_by";

// One CSV row's values, trimmed.
struct ContactRow {
  int line = 0;
  std::string slug, phone, address, hours, verified, verified_by;
};

// Where each known column is; problems with the header go to `diagnostics`.
std::map<std::string, size_t> ReadHeader(const CsvRow& header, const std::string& csv_display,
                                         Diagnostics* diagnostics) {
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      diagnostics->Add(csv_display, header.line, name,
                       PlainProblem("unknown column (expected " + std::string(kHeader) + ")"));
    } else if (!column.emplace(name, i).second) {
      diagnostics->Add(csv_display, header.line, name, PlainProblem("column appears twice"));
    }
  }
  for (const char* required : {"slug", "verified", "verified_by"}) {
    if (!column.count(required))
      diagnostics->Add(csv_display, header.line, required,
                       PlainProblem("required column is missing"));
  }
  return column;
}

ContactRow ReadRow(const CsvRow& row, const std::map<std::string, size_t>& column) {
  auto get = [&](const std::string& name) -> std::string {
    auto it = column.find(name);
    if (it == column.end() || it->second >= row.fields.size()) return "";
    const std::string& value = row.fields[it->second];
    size_t first = value.find_first_not_of(" \t");
    size_t last = value.find_last_not_of(" \t");
    return first == std::string::npos ? "" : value.substr(first, last - first + 1);
  };
  return {row.line,  get("slug"),     get("phone"),      get("address"),
          get("hours"), get("verified"), get("verified_by")};
}

// Checks the values of `row` (not yet whether its slug was seen); `error` reports one problem.
void CheckValues(const ContactRow& row, const DateTime& today, int utc_offset,
                 const std::function<void(const std::string&, const std::string&)>& error) {
  if (!row.phone.empty()) {
    size_t digits = std::count_if(row.phone.begin(), row.phone.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
    if (row.phone.find_first_not_of("+0123456789 .-()") != std::string::npos || digits < 8 ||
        digits > 15) {
      error("phone", "'" + row.phone +
                         "' is not a phone number (8 to 15 digits, spaces and + . - ( ) allowed)");
    }
  }
  for (const auto& [name, value] : {std::pair{"address", &row.address}, std::pair{"hours", &row.hours}}) {
    if (value->find_first_of("\r\n") != std::string::npos) error(name, "must be on one line");
  }
  if (row.phone.empty() && row.address.empty() && row.hours.empty()) {
    error("", "gives no phone, address or hours");
  }
  auto verified = ParseDateTime(row.verified, utc_offset);
  if (!verified || verified->has_time) {
    error("verified", "'" + row.verified + "' is not a date like 2026-11-20");
  } else if (verified->unix_seconds > today.unix_seconds) {
    error("verified", row.verified + " is in the future");
  }
  if (row.verified_by.empty()) {
    error("verified_by", "is empty: name the office or role that confirmed the entry");
  } else if (row.verified_by.find_first_of("\r\n") != std::string::npos) {
    error("verified_by", "must be on one line");
  }
}

// How an import announces each entry it changes: the import's time and the change note in each
// language (a correction: readers see other contact details, or a newer confirmation).
struct Announcement {
  DateTime at;
  const MessageCatalogs* catalogs;
};

// The page in `text` (its front matter), or nullopt when it does not parse.
std::optional<Page> ParseText(const std::string& relative, const std::string& text,
                              const SiteConfig& config) {
  Page page;
  Diagnostics ignored;
  if (!PageFromText(relative, "content/" + relative, text, config, &ignored, &page)) {
    return std::nullopt;
  }
  return page;
}

// Whether the page's contact (`contact`) or its confirmation (`confirmation`) differ between the
// two versions of a page (parsed values: the same details written otherwise are the same).
struct EntryChange {
  bool contact = true, confirmation = true;
};
EntryChange CompareEntries(const std::optional<Page>& before, const std::optional<Page>& after) {
  if (!before || !after || !before->support || !after->support) return {};
  const SupportInfo &a = *before->support, &b = *after->support;
  const bool same_contact = a.contact.phone == b.contact.phone &&
                            a.contact.address == b.contact.address &&
                            a.contact.hours == b.contact.hours;
  return {!same_contact, a.verified != b.verified || a.verified_by != b.verified_by};
}

// `updated`, `change_note` and, for a translation that was in step with its source
// (`source_updated`: the source's `updated` before the import), `translated_from`: the
// import changed every language alike.
std::string AnnouncedFields(bool contact_changed, const std::optional<Page>& old_page,
                            const std::string& lang, const ContactRow& row,
                            const Announcement& announce,
                            const std::optional<DateTime>& source_updated) {
  const std::string at = announce.at.ToRfc3339();
  MessageArgs args;
  if (auto verified = ParseDateTime(row.verified, announce.at.offset_minutes)) {
    args.emplace_back("date", *verified);
  }
  std::string fields =
      "updated: " + at + "\nchange_note: " +
      YamlQuoted(announce.catalogs->Format(lang, contact_changed ? "support_contact_updated_note"
                                                                 : "support_contact_confirmed_note",
                                           args)) +
      "\n";
  if (old_page && old_page->translated_from && source_updated &&
      *old_page->translated_from >= *source_updated) {
    fields += "translated_from: " + at + "\n";
  }
  return fields;
}

// The entry's files in every language with the row's contact and confirmation, dated and noted
// as the import's correction (files the row leaves as they are are not returned); each
// rewritten file must still be a valid page (else `error`, and it is left out).
std::vector<FileUpdate> RowUpdates(const FileSystem& fs, const std::string& content_dir,
                                   const std::string& section, const ContactRow& row,
                                   const SiteConfig& config, const Announcement& announce,
                                   const std::function<void(const std::string&, const std::string&)>& error) {
  std::string fields = "contact:\n";
  if (!row.phone.empty()) fields += "  phone: " + YamlQuoted(row.phone) + "\n";
  if (!row.address.empty()) fields += "  address: " + YamlQuoted(row.address) + "\n";
  if (!row.hours.empty()) fields += "  hours: " + YamlQuoted(row.hours) + "\n";
  fields += "verified: " + row.verified + "\nverified_by: " + YamlQuoted(row.verified_by) + "\n";
  std::vector<FileUpdate> updates;
  std::optional<DateTime> source_updated;  // the default language's, before the import
  const std::string source_relative = section + "/" + row.slug + "." + config.default_language + ".md";
  if (auto source = fs.ReadFile(JoinPath(content_dir, source_relative)); source.ok()) {
    if (auto page = ParseText(source_relative, *source, config)) source_updated = page->updated;
  }
  for (const auto& language : config.languages) {
    std::string relative = section + "/" + row.slug + "." + language.code + ".md";
    std::string path = JoinPath(content_dir, relative);
    auto text = fs.ReadFile(path);
    if (!text.ok()) continue;  // this translation does not exist
    const std::optional<Page> old_page = ParseText(relative, *text, config);
    std::string changed =
        ReplaceFrontMatterFields(*text, {"contact", "verified", "verified_by"}, fields);
    const EntryChange change = CompareEntries(old_page, ParseText(relative, changed, config));
    if (!change.contact && !change.confirmation) continue;  // nothing new to tell readers
    const std::vector<std::string> dated = {"updated", "change_note", "translated_from"};
    std::string announced = AnnouncedFields(change.contact, old_page, language.code, row,
                                            announce, source_updated);
    if (announced.find("translated_from:") == std::string::npos) {
      announced += FrontMatterFieldLines(changed, {"translated_from"});
    }
    FileUpdate update{path, ReplaceFrontMatterFields(changed, dated, announced)};
    Page page;
    Diagnostics file_problems;
    if (!PageFromText(relative, "content/" + relative, update.text, config, &file_problems,
                       &page)) {
      for (const auto& d : file_problems.items()) error("", "would make " + d.ToString());
      continue;
    }
    updates.push_back(std::move(update));
  }
  return updates;
}

const SectionConfig* SupportSection(const SiteConfig& config) {
  const SectionConfig* section = nullptr;
  for (const auto& s : config.sections) {
    if (FindPageKind(s.kind)->support_fields) section = &s;
  }
  return section;
}

}  // namespace

std::vector<FileUpdate> PlanSupportImport(const FileSystem& fs, const std::string& source_dir,
                                          const std::string& csv_display,
                                          const std::string& csv_text, const SiteConfig& config,
                                          const DateTime& today, Diagnostics* diagnostics) {
  size_t errors_before = diagnostics->size();
  auto rows = ParseCsv(csv_text);
  if (!rows.ok()) {
    diagnostics->Add(csv_display, 0, "", PlainProblem("not valid CSV: " + rows.status().message()));
    return {};
  }
  if (rows->empty()) {
    diagnostics->Add(csv_display, 1, "",
                     PlainProblem("empty file: expected a header row " + std::string(kHeader)));
    return {};
  }
  const SectionConfig* section = SupportSection(config);
  if (!section) {
    diagnostics->Add(csv_display, 0, "",
                     PlainProblem("site/config.yaml has no section of kind support"));
    return {};
  }
  const CsvRow& header = rows->front();
  const std::map<std::string, size_t> column = ReadHeader(header, csv_display, diagnostics);
  if (diagnostics->size() != errors_before) return {};
  SetDisplayTimeZone(config.time_zone);  // the note's date as the site shows dates
  auto catalogs = MessageCatalogs::Load(fs, JoinPath(source_dir, "site/i18n"), config, diagnostics);
  if (!catalogs.ok() || diagnostics->size() != errors_before) {
    if (!catalogs.ok() && diagnostics->size() == errors_before) {
      diagnostics->Add(JoinPath(source_dir, "site/i18n"), 0, "",
                       PlainProblem(catalogs.status().message()));
    }
    return {};
  }
  const Announcement announce{today, &catalogs.value()};
  const std::string content_dir = JoinPath(source_dir, "content");
  const std::string section_dir = JoinPath(content_dir, section->name);
  std::vector<FileUpdate> updates;
  std::set<std::string> seen;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& csv_row = (*rows)[r];
    size_t row_errors = diagnostics->size();
    auto error = [&](const std::string& field, const std::string& message) {
      diagnostics->Add(csv_display, csv_row.line, field, PlainProblem(message));
    };
    if (csv_row.fields.size() != header.fields.size()) {
      error("", "has " + std::to_string(csv_row.fields.size()) + " fields, the header has " +
                    std::to_string(header.fields.size()));
      continue;
    }
    const ContactRow row = ReadRow(csv_row, column);
    const std::string source_file = row.slug + "." + config.default_language + ".md";
    if (!IsSlug(row.slug)) {
      error("slug", "'" + row.slug + "' is not a slug");
    } else if (!fs.IsFile(JoinPath(section_dir, source_file))) {
      error("slug", "no support entry content/" + section->name + "/" + source_file);
    } else if (!seen.insert(row.slug).second) {
      error("slug", "'" + row.slug + "' appears in more than one row");
    }
    CheckValues(row, today, config.utc_offset_minutes, error);
    if (diagnostics->size() != row_errors) continue;
    for (auto& update : RowUpdates(fs, content_dir, section->name, row, config, announce, error)) {
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

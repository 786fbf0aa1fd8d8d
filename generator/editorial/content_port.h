#pragma once
// What the editorial workflow asks of the site: check a text as `clemency check` would, render
// it as readers would see it, publish it and withdraw pages. serve's publish path implements it
// (publish/live_site.h); tests may use a fake.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/datetime.h"
#include "core/status.h"
#include "store/store.h"

namespace clemency {

struct PublishOrder {
  std::string path;  // "content/<section>/<slug>.<lang>.md"
  std::string text;
  std::string change_type = "major", note;
  std::string author, approver, publisher;
  // The workflow's own records of the publish (the edit's new state, the audit entry), written
  // on the given store inside the revision's transaction: all of it commits, or none.
  std::function<Status(Store* store)> with_revision;
};

struct PublishReport {
  std::string page;                   // "guides/slug/vi"
  bool changed = false;               // false when the site already had this text
  std::string steps;                  // each step's time
  std::vector<std::string> rendered;  // the outputs rendered again
  double seconds = 0;                 // publish request to live
};

struct UnpublishOrder {
  std::string section, slug, lang;  // lang "" for every translation
  // `reason` is in the site's default language, shown (labelled) where `reasons` (by language)
  // has none.
  std::string reason, by;
  bool gone = false;  // 410 Gone instead of a notice
  std::map<std::string, std::string> reasons = {};
};

class ContentPort {
 public:
  virtual ~ContentPort() = default;
  // The problems of the site with `text` as the page file `path` (none: it may be published).
  virtual Status Check(const std::string& path, const std::string& text,
                       Diagnostics* diagnostics) = 0;
  // The page as readers would see it (a whole HTML document), even when its fields or text have
  // problems (then in `diagnostics`: not publishable); an error when no page can be made of it.
  virtual Result<std::string> Preview(const std::string& path, const std::string& text,
                                      Diagnostics* diagnostics) = 0;
  // Publishes `order`: checked, stored as a revision in one transaction with
  // `order.with_revision` (its error rolls the whole back), and live when it returns.
  virtual Result<PublishReport> Publish(const PublishOrder& order, Diagnostics* diagnostics) = 0;
  // Withdraws pages; returns their ids ("guides/slug/vi").
  virtual Result<std::vector<std::string>> Unpublish(const UnpublishOrder& order,
                                                     Diagnostics* diagnostics) = 0;
  // Tells the site an edit is scheduled for `at`: the workflow's due edits are published then
  // (Workflow::PublishDue).
  virtual void Schedule(const DateTime& at) = 0;
};

}  // namespace clemency

#include "public_api/response_cache.h"

#include <algorithm>
#include <utility>

#include "core/datetime.h"
#include "core/text.h"

namespace clemency {

ResponseCache::Handler ResponseCache::Wrap(Handler handler, int64_t max_age) {
  return [this, handler, max_age](const httplib::Request& req, httplib::Response& res) {
    bool csv = req.get_header_value("Accept").find("text/csv") != std::string::npos;
    std::string key = req.target + (csv ? "\x1f"
                                          "csv"
                                        : "");
    int64_t version = store_->DataVersion();
    const int64_t now = Now(0).unix_seconds;
    std::shared_ptr<const Entry> entry;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second->version == version && now < it->second->expires) {
        entry = it->second;
      }
    }
    if (!entry) {
      httplib::Response fresh;
      handler(req, fresh);
      if (fresh.status != -1 && fresh.status != 200) {  // httplib leaves -1 for "200 unless set"
        res = std::move(fresh);
        return;
      }
      auto made = std::make_shared<Entry>();
      made->version = version;
      made->expires = std::min(NextPublishTime(version, now),
                               max_age == INT64_MAX ? INT64_MAX : now + max_age);
      made->type = fresh.get_header_value("Content-Type");
      made->etag = HashHex(fresh.body);
      for (const auto& [name, value] : fresh.headers) {
        if (name == "Last-Modified") {
          made->last_modified = http::ParseHttpDate(value);
        } else if (name != "ETag" && name != "Vary" && name != "Content-Type") {
          made->headers.emplace(name, value);
        }
      }
      made->body = std::move(fresh.body);
      entry = made;
      std::lock_guard<std::mutex> lock(mutex_);
      if (entries_.size() >= kMaxEntries) entries_.clear();
      entries_[key] = entry;
    }
    for (const auto& [name, value] : entry->headers) res.set_header(name, value);
    http::SendWithEtag(req, res, entry->body, entry->type, entry->etag, entry->last_modified);
  };
}

int64_t ResponseCache::NextPublishTime(int64_t version, int64_t now) {
  std::lock_guard<std::mutex> lock(schedule_mutex_);
  if (version != schedule_version_ || now >= next_publish_) {
    auto next = PageRepository(store_).NextPublishTime(now);
    // A failed query keeps nothing: the next request asks the store again.
    next_publish_ = !next.ok() ? now : next->value_or(INT64_MAX);
    schedule_version_ = version;
  }
  return next_publish_;
}

}  // namespace clemency

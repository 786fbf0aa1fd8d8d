#pragma once
// Successful public API responses, kept until the store changes (or a scheduled page goes
// live): readers poll the same few lists, so most requests are answered without a query.
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/http.h"
#include "store/store.h"

namespace clemency {

class ResponseCache {
 public:
  explicit ResponseCache(Store* store) : store_(store) {}

  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Returns `handler` answering from the cache: a 200 is kept by the request's target (and
  // whether it asked for CSV) while the store's data version holds, and sent with its ETag and
  // Last-Modified (304 to a matching conditional request); other answers are not kept. A 200
  // is kept at most `max_age` seconds: for answers that change with the clock alone.
  Handler Wrap(Handler handler, int64_t max_age = INT64_MAX);

 private:
  // Returns when the next scheduled page goes live (after `now`, as of store `version`):
  // responses made before then are stale from then on, though nothing was committed. Asked
  // once per version.
  int64_t NextPublishTime(int64_t version, int64_t now);

  static constexpr size_t kMaxEntries = 2000;
  struct Entry {
    int64_t version = 0;
    int64_t expires = INT64_MAX;  // unix seconds
    time_t last_modified = -1;    // from the handler's Last-Modified; -1: none
    std::string body, type, etag;
    httplib::Headers headers;
  };
  Store* store_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
  std::mutex schedule_mutex_;
  int64_t schedule_version_ = -1, next_publish_ = 0;
};

}  // namespace clemency

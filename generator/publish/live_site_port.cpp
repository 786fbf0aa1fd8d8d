// LiveSite as the workflow's ContentPort: its orders become publish and unpublish requests.
#include "publish/live_site.h"

#include <chrono>

namespace clemency {

Result<PublishReport> LiveSite::Publish(const PublishOrder& order, Diagnostics* diagnostics) {
  PublishRequest request;
  request.file = order.path;
  request.stored_path = order.path;
  request.text = order.text;
  request.change_type = order.change_type;
  request.note = order.note;
  request.people = {order.author, order.approver, order.publisher};
  request.with_revision = order.with_revision;
  const auto start = std::chrono::steady_clock::now();
  auto result = Publish(std::move(request), diagnostics);
  if (!result.ok()) return result.status();
  PublishReport report;
  report.page = result->page;
  report.changed = result->changed;
  report.steps = result->steps;
  report.rendered = result->rendered;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Result<std::vector<std::string>> LiveSite::Unpublish(const UnpublishOrder& order,
                                                     Diagnostics* diagnostics) {
  UnpublishRequest request;
  request.section = order.section;
  request.slug = order.slug;
  request.lang = order.lang;
  request.reason = order.reason;
  request.reasons = order.reasons;
  request.gone = order.gone;
  request.by = order.by;
  return Unpublish(std::move(request), diagnostics);
}

}  // namespace clemency

#pragma once
// The editorial workflow's view of the site (ContentPort) through serve's Republisher: checks
// and previews against the held site, publishing and withdrawing through its republish path.
#include "editorial/content_port.h"
#include "publish/republisher.h"

namespace clemency {

class RepublisherPort : public ContentPort {
 public:
  // REQUIRES: `republisher` has started and outlives this port.
  explicit RepublisherPort(Republisher* republisher) : republisher_(republisher) {}
  Status Check(const std::string& path, const std::string& text,
               Diagnostics* diagnostics) override;
  Result<std::string> Preview(const std::string& path, const std::string& text,
                              Diagnostics* diagnostics) override;
  Result<PublishReport> Publish(const PublishOrder& order, Diagnostics* diagnostics) override;
  Result<std::vector<std::string>> Unpublish(const UnpublishOrder& order,
                                             Diagnostics* diagnostics) override;

 private:
  Republisher* republisher_;
};

}  // namespace clemency

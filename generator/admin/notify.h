#pragma once
// E-mail notices to editors through the machine's sendmail interface (`notify.sendmail` in
// site/config.yaml; nothing is sent without it). A change submitted for review is told to every
// enabled account that may approve it and has an address (`clemency user contact`), but its
// submitter: plain text in the account's language, the page's title and a link to the review
// screen, nothing about readers. Sending runs on a thread of its own, so a slow or failing
// sendmail never holds the submit; a failure is logged.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "admin/admin_ui.h"
#include "config/site_config.h"
#include "core/status.h"
#include "store/edits.h"
#include "store/users.h"

namespace clemency {

struct MailMessage {
  std::string to, subject, body;
};

// Returns the notice to `user` that `edit` was submitted for review by `by`, in the user's
// language (the admin's first language when it has none or one the admin does not speak).
MailMessage SubmittedNotice(const AdminText& text, const SiteConfig& config, const UserRow& user,
                            const EditRow& edit, const std::string& by);

// Returns `message` as sendmail reads it: From (when set), To, an RFC 2047 Subject, MIME headers
// for UTF-8 plain text, a blank line, the body with CRLF-free LF lines.
std::string MailText(const NotifyConfig& notify, const MailMessage& message);

// Runs `notify.sendmail -i -- <to>` with MailText on its standard input and waits for it (at
// most 30 s, then it is killed). Returns an error naming the exit status or signal.
Status SendMail(const NotifyConfig& notify, const MailMessage& message);

class ReviewNotifier : public std::enable_shared_from_this<ReviewNotifier> {
 public:
  // REQUIRES: `store_path` is the store serve runs on (the notifier opens its own connection).
  ReviewNotifier(std::string store_path, std::shared_ptr<const AdminText> text, SiteConfig config);
  // Waits for the notices under way.
  ~ReviewNotifier();
  // Tells the publishers that `edit` was submitted by `by`, on a thread of its own.
  void Submitted(const EditRow& edit, const std::string& by);
  // Waits until every notice started so far is sent or has failed (tests).
  void Wait();

 private:
  void SendAll(const EditRow& edit, const std::string& by);

  std::string store_path_;
  std::shared_ptr<const AdminText> text_;
  SiteConfig config_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_ = 0;
};

}  // namespace clemency

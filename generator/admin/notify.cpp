#include "admin/notify.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "content/page_file.h"
#include "editorial/workflow.h"
#include "store/store.h"

namespace clemency {
namespace {

std::string Base64(const std::string& bytes) {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kDigits[(n >> 18) & 63];
    out += kDigits[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[n & 63] : '=';
  }
  return out;
}

// `text` on one line: a header or a title never carries a line break into the mail.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

// Writes all of `data` to `fd`; false when the reader went away.
bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Waits for `pid` up to `seconds`, then kills it. Returns its wait status.
int WaitFor(pid_t pid, int seconds) {
  int status = 0;
  for (int i = 0; i < seconds * 20; ++i) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

MailMessage SubmittedNotice(const AdminText& text, const SiteConfig& config, const UserRow& user,
                            const EditRow& edit, const std::string& by) {
  const std::string lang = text.IsLanguage(user.lang) ? user.lang : text.languages().front();
  const std::string title = OneLine(FieldValue(edit.source_text, "title").value_or(edit.source_path));
  const std::string admin = config.notify.admin_url.empty() ? config.base_url : config.notify.admin_url;
  const std::string link = admin + "/admin/edits/" + std::to_string(edit.id) + "?lang=" + lang;
  MailMessage message;
  message.to = user.email;
  message.subject = text.Format(lang, "mail_submitted_subject", {{"title", title}});
  message.body = text.Format(lang, "mail_submitted_body",
                             {{"name", user.name}, {"title", title}, {"by", by},
                              {"path", edit.source_path}, {"link", link}}) + "\n";
  return message;
}

std::string MailText(const NotifyConfig& notify, const MailMessage& message) {
  std::string out;
  if (!notify.from.empty()) out += "From: " + OneLine(notify.from) + "\n";
  out += "To: " + OneLine(message.to) + "\n";
  out += "Subject: =?UTF-8?B?" + Base64(OneLine(message.subject)) + "?=\n";
  out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n";
  out += "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-generated\n\n";
  out += message.body;
  return out;
}

Status SendMail(const NotifyConfig& notify, const MailMessage& message) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::Error("mail: no pipe");
  // Everything the child needs is made before fork: only async-signal-safe calls after it.
  const std::string to = OneLine(message.to);
  std::vector<const char*> argv = {notify.sendmail.c_str(), "-i", "--", to.c_str(), nullptr};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Status::Error("mail: cannot start " + notify.sendmail);
  }
  if (pid == 0) {
    ::dup2(pipe_fds[0], STDIN_FILENO);
    ::execv(argv[0], const_cast<char* const*>(argv.data()));
    ::_exit(127);
  }
  ::close(pipe_fds[0]);
  // A sendmail that exits early must not kill serve with SIGPIPE.
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  const bool written = WriteAll(pipe_fds[1], MailText(notify, message));
  ::close(pipe_fds[1]);
  timespec none{0, 0};
  while (sigtimedwait(&block, nullptr, &none) > 0) {}  // a SIGPIPE the write raised
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  const int status = WaitFor(pid, 30);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && written) return Status::Ok();
  if (WIFSIGNALED(status)) {
    return Status::Error("mail: " + notify.sendmail + " was killed (signal " +
                         std::to_string(WTERMSIG(status)) + ")");
  }
  return Status::Error("mail: " + notify.sendmail + " exited with status " +
                       std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
}

ReviewNotifier::ReviewNotifier(std::string store_path, std::shared_ptr<const AdminText> text,
                               SiteConfig config)
    : store_path_(std::move(store_path)), text_(std::move(text)), config_(std::move(config)) {}

ReviewNotifier::~ReviewNotifier() { Wait(); }

void ReviewNotifier::Submitted(const EditRow& edit, const std::string& by) {
  if (config_.notify.sendmail.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++running_;
  }
  std::thread([self = shared_from_this(), edit, by] {
    self->SendAll(edit, by);
    std::lock_guard<std::mutex> lock(self->mutex_);
    --self->running_;
    self->idle_.notify_all();
  }).detach();
}

void ReviewNotifier::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return running_ == 0; });
}

void ReviewNotifier::SendAll(const EditRow& edit, const std::string& by) {
  auto store = Store::Open(store_path_);
  auto users = store.ok() ? UserRepository(store->get()).List()
                          : Result<std::vector<UserRow>>(store.status());
  if (!users.ok()) {
    std::fprintf(stderr, "clemency: notice of edit #%lld not sent: %s\n",
                 static_cast<long long>(edit.id), users.status().message().c_str());
    return;
  }
  for (const UserRow& user : *users) {
    if (user.email.empty() || !user.disabled_at.empty() || user.name == by ||
        !May(user.role, Permission::kApprove)) {
      continue;
    }
    Status sent = SendMail(config_.notify, SubmittedNotice(*text_, config_, user, edit, by));
    if (!sent.ok()) {
      std::fprintf(stderr, "clemency: notice of edit #%lld to %s not sent: %s\n",
                   static_cast<long long>(edit.id), user.name.c_str(), sent.message().c_str());
    }
  }
}

}  // namespace clemency

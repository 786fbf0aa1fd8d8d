// The editorial workflow's rules against a real SQLite store and a fake site (ContentPort):
// roles, nobody approving their own change, If-Match and 412 with a merge offer, checks and the
// legal review blocking approval, scheduling across a restart, unpublishing, restoring.
#include "editorial/workflow.h"

#include <catch2/catch.hpp>

#include "content/page_file.h"
#include "store/edits.h"
#include "store/users.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

void Replace(std::string* text, const std::string& from, const std::string& to) {
  size_t at = text->find(from);
  REQUIRE(at != std::string::npos);
  text->replace(at, from.size(), to);
}

const std::string kPath = "content/guides/quy-trinh.vi.md";
const std::string kText =
    "---\ntitle: Quy trình\nsummary: Các bước\n---\n\nĐoạn một.\n\nĐoạn hai.\n\nĐoạn ba.\n";

// A site that accepts everything unless told a problem, and stores what it publishes.
class FakeSite : public ContentPort {
 public:
  explicit FakeSite(Store* store) : store_(store) {}
  Status Check(const std::string& path, const std::string&, Diagnostics* d) override {
    if (!problem.empty()) d->Add(path, 3, "summary", PlainProblem(problem));
    return problem.empty() ? Status::Ok() : Status::Error("fails");
  }
  Result<std::string> Preview(const std::string&, const std::string& text, Diagnostics*) override {
    return "<html>" + text + "</html>";
  }
  Result<PublishReport> Publish(const PublishOrder& order, Diagnostics*) override {
    orders.push_back(order);
    // As the publish path does: the revision and the workflow's records in one transaction.
    if (Status s = store_->Begin(); !s.ok()) return s;
    Status s = Put(store_, order.path, order.text, {order.author, order.approver, order.publisher});
    if (s.ok() && order.with_revision) s = order.with_revision(store_);
    if (s.ok() && fail_before_commit) s = Status::Error("killed before the commit");
    if (s.ok()) s = store_->Commit();
    if (!s.ok()) {
      store_->Rollback();
      return s;
    }
    return PublishReport{"guides/quy-trinh/vi", true, "store 1ms", {"vi/guides/quy-trinh/index.html"}, 0.01};
  }
  Result<std::vector<std::string>> Unpublish(const UnpublishOrder& order, Diagnostics*) override {
    unpublished.push_back(order);
    return std::vector<std::string>{order.section + "/" + order.slug + "/vi"};
  }
  void Schedule(const DateTime& at) override { scheduled_for.push_back(at.unix_seconds); }
  std::vector<int64_t> scheduled_for;
  // Stores `text` as the published page at `path`, as the publish path would.
  static Status Put(Store* store, const std::string& path, const std::string& text,
                    RevisionPeople people = {}) {
    auto file = ParseContentPath(path, {"vi", "en", "km"});
    PageRow row;
    row.section = file->section;
    row.slug = file->slug;
    row.lang = file->lang;
    row.kind = "guide";
    row.title = "Quy trình";
    row.published = row.updated = row.public_updated = "2026-11-01T00:00:00+07:00";
    row.source_path = path;
    row.source_text = text;
    row.content_hash = std::to_string(std::hash<std::string>()(text));
    row.people = people;
    return PageRepository(store).Upsert(row);
  }
  std::string problem;
  bool fail_before_commit = false;  // the publish dies after writing everything, uncommitted
  std::vector<PublishOrder> orders;
  std::vector<UnpublishOrder> unpublished;

 private:
  Store* store_;
};

struct Fixture {
  testing::TempDir dir;
  std::string db = dir / "clemency.db";
  std::unique_ptr<Store> seed_store;
  std::unique_ptr<FakeSite> site;
  std::unique_ptr<Workflow> workflow;
  int64_t clock = 1'800'000'000;  // unix seconds the workflow sees
  Actor lan{"lan", "editor"}, minh{"minh", "editor"}, hoa{"hoa", "publisher"},
      tuan{"tuan", "publisher"};

  Fixture() {
    seed_store = std::move(Store::Open(db)).value();
    REQUIRE(FakeSite::Put(seed_store.get(), kPath, kText).ok());
    for (const Actor* actor : {&lan, &minh, &hoa, &tuan}) {
      UserRow user{actor->name, actor->role, "(no password in this test)", "", "2026-01-01"};
      REQUIRE(UserRepository(seed_store.get()).Add(user).ok());
    }
    site = std::make_unique<FakeSite>(seed_store.get());
    Open();
  }
  void Open(bool approve_own_merge = false) {
    Workflow::Options options;
    options.approve_own_merge = approve_own_merge;
    options.languages = {"vi", "en", "km"};
    options.now = [this] { return DateTime{clock, 420, true}; };
    options.section_kind = [](const std::string& s) { return s == "guides" ? "guide" : "page"; };
    workflow = std::make_unique<Workflow>(std::move(Store::Open(db)).value(), site.get(), options);
  }
  // An edit of kPath changed by `by` and submitted, as a minor change (no legal review needed).
  EditRow Submitted(const Actor& by, const std::string& type = "minor") {
    auto edit = workflow->Create(by, kPath, std::nullopt);
    REQUIRE(edit.ok());
    EditChanges changes;
    changes.text = kText + "\nĐoạn bốn.\n";
    changes.change_type = type;
    changes.note = "Thêm đoạn bốn";
    auto saved = workflow->Save(by, edit->id, EditETag(edit.value()), changes);
    REQUIRE(saved.ok());
    auto submitted = workflow->Submit(by, saved->id, EditETag(saved.value()));
    REQUIRE(submitted.ok());
    return submitted.value();
  }
  int64_t Count(const std::string& sql) {
    auto stmt = seed_store->Prepare(sql);
    REQUIRE(stmt.ok());
    REQUIRE(stmt.value().Step());
    return stmt->Int(0);
  }
};

}  // namespace

TEST_CASE("workflow: each role does only its part") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto by_editor = f.workflow->Approve(f.minh, edit.id, EditETag(edit), false, "");
  REQUIRE_FALSE(by_editor.ok());
  CHECK(by_editor.refusal().status == 403);
  auto publish_by_editor = f.workflow->Publish(f.minh, edit.id, EditETag(edit));
  CHECK(publish_by_editor.refusal().status == 403);
  auto unpublish_by_editor = f.workflow->Unpublish(f.lan, {"guides", "quy-trinh", "", "lỗi thời", "", false});
  CHECK(unpublish_by_editor.refusal().status == 403);
  CHECK(f.site->orders.empty());
  CHECK(May("admin", Permission::kManageUsers));
  CHECK_FALSE(May("publisher", Permission::kManageUsers));
  CHECK_FALSE(May("nobody", Permission::kEdit));
}

TEST_CASE("workflow: nobody approves their own change") {
  Fixture f;
  EditRow edit = f.Submitted(f.hoa);  // a publisher wrote it
  auto own = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE_FALSE(own.ok());
  CHECK(own.refusal().status == 403);
  // Nor after another person saved a version of it: everyone who wrote part of it is out.
  auto sent_back = f.workflow->Reject(f.tuan, edit.id, EditETag(edit), "thêm nguồn");
  REQUIRE(sent_back.ok());
  EditChanges changes;
  changes.note = "Thêm đoạn bốn, có nguồn";
  auto saved = f.workflow->Save(f.tuan, edit.id, EditETag(sent_back.value()), changes);
  REQUIRE(saved.ok());
  auto submitted = f.workflow->Submit(f.tuan, edit.id, EditETag(saved.value()));
  REQUIRE(submitted.ok());
  CHECK(f.workflow->Approve(f.tuan, edit.id, EditETag(submitted.value()), false, "")
            .refusal().status == 403);
  CHECK(f.workflow->Approve(f.hoa, edit.id, EditETag(submitted.value()), false, "")
            .refusal().status == 403);
  Actor third{"thu", "admin"};
  auto approved = f.workflow->Approve(third, edit.id, EditETag(submitted.value()), false, "ok");
  REQUIRE(approved.ok());
  CHECK(approved->approver == "thu");
}

TEST_CASE("workflow: a stale write gets 412 with both versions and a merge offer") {
  Fixture f;
  auto edit = f.workflow->Create(f.lan, kPath, std::nullopt);
  REQUIRE(edit.ok());
  const std::string first_etag = EditETag(edit.value());
  EditChanges lan_change;  // Lan changes the first paragraph
  lan_change.text = kText;
  Replace(&*lan_change.text, "Đoạn một.", "Đoạn một, sửa.");
  auto lan_saved = f.workflow->Save(f.lan, edit->id, first_etag, lan_change);
  REQUIRE(lan_saved.ok());
  CHECK(lan_saved->version == 2);

  EditChanges minh_change;  // Minh, from the first version, changes the third
  minh_change.text = kText;
  Replace(&*minh_change.text, "Đoạn ba.", "Đoạn ba, sửa.");
  auto stale = f.workflow->Save(f.minh, edit->id, first_etag, minh_change);
  REQUIRE_FALSE(stale.ok());
  const Refusal& refusal = stale.refusal();
  CHECK(refusal.status == 412);
  REQUIRE(refusal.current);
  CHECK(refusal.current->source_text == *lan_change.text);
  CHECK(refusal.mine == *minh_change.text);
  REQUIRE(refusal.merge);
  CHECK(refusal.merge->clean);
  CHECK(refusal.merge->merged.find("Đoạn một, sửa.") != std::string::npos);
  CHECK(refusal.merge->merged.find("Đoạn ba, sửa.") != std::string::npos);
  // Nothing was applied: the stored text is still Lan's.
  CHECK(f.workflow->Get(edit->id)->source_text == *lan_change.text);

  EditChanges overlapping;  // the same paragraph as Lan: a conflict, no merged text
  overlapping.text = kText;
  Replace(&*overlapping.text, "Đoạn một.", "Đoạn một khác.");
  auto conflict = f.workflow->Save(f.minh, edit->id, first_etag, overlapping);
  REQUIRE(conflict.refusal().merge);
  CHECK_FALSE(conflict.refusal().merge->clean);
  CHECK_FALSE(conflict.refusal().merge->conflicts.empty());

  CHECK(f.workflow->Save(f.minh, edit->id, "", minh_change).refusal().status == 428);
  CHECK(f.workflow->Save(f.minh, edit->id, "\"e999.1\"", minh_change).refusal().status == 412);
}

TEST_CASE("workflow: failing checks and a missing legal review block approval") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan, "major");
  f.site->problem = "the summary is too long";
  auto refused = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), true, "");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.refusal().status == 422);
  REQUIRE(refused.refusal().diagnostics.size() == 1);
  CHECK(refused.refusal().diagnostics.items()[0].field == "summary");
  f.site->problem.clear();
  auto no_review = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  CHECK(no_review.refusal().status == 422);
  CHECK(no_review.refusal().message.find("legal review") != std::string::npos);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), true, "");
  REQUIRE(approved.ok());
  auto published = f.workflow->Publish(f.hoa, edit.id, EditETag(approved.value()));
  REQUIRE(published.ok());
  REQUIRE(f.site->orders.size() == 1);
  // The sign-off sets the guide's public "last legal review" date (2027-01-15 at UTC+7).
  CHECK(f.site->orders[0].text.find("reviewed: 2027-01-15\n") != std::string::npos);
  CHECK(f.site->orders[0].author == "lan");
  CHECK(f.site->orders[0].approver == "hoa");
  CHECK(f.site->orders[0].publisher == "hoa");
}

TEST_CASE("workflow: publishing records who wrote, approved and published; audit has it all") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  auto published = f.workflow->Publish(f.tuan, edit.id, EditETag(approved.value()));
  REQUIRE(published.ok());
  CHECK(published->state == "published");
  auto revisions = EditRepository(f.seed_store.get()).Revisions(kPath);
  REQUIRE(revisions.ok());
  REQUIRE(revisions->size() == 2);
  CHECK(revisions->front().people.author == "lan");
  CHECK(revisions->front().people.approver == "hoa");
  CHECK(revisions->front().people.publisher == "tuan");
  auto audit = f.workflow->RecentAudit(20);
  REQUIRE(audit.ok());
  std::vector<std::string> actions;
  for (const auto& row : *audit) actions.push_back(row.action);
  for (const char* action : {"edit.create", "edit.save", "edit.submit", "edit.approve", "publish"}) {
    CHECK(std::find(actions.begin(), actions.end(), action) != actions.end());
  }
  CHECK(audit->front().detail.find("rendered 1 outputs") != std::string::npos);
  // A published edit is closed: the page can be edited again from the new text.
  CHECK(f.workflow->Save(f.lan, edit.id, EditETag(published.value()), {}).refusal().status == 409);
  auto next = f.workflow->Create(f.lan, kPath, std::nullopt);
  REQUIRE(next.ok());
  CHECK(next->source_text.find("Đoạn bốn.") != std::string::npos);
}

TEST_CASE("workflow: a publish is one transaction: revision, edit state and audit, or none") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  const int64_t revisions = f.Count("SELECT COUNT(*) FROM page_revisions");
  f.site->fail_before_commit = true;
  auto failed = f.workflow->Publish(f.tuan, edit.id, EditETag(approved.value()));
  REQUIRE_FALSE(failed.ok());
  CHECK(f.Count("SELECT COUNT(*) FROM page_revisions") == revisions);
  CHECK(f.Count("SELECT COUNT(*) FROM pages WHERE source_text LIKE '%Đoạn bốn.%'") == 0);
  CHECK(f.workflow->Get(edit.id)->state == "approved");
  CHECK(f.Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'publish%'") == 0);
  // Committed: all three at once, the audit entry written in the same transaction.
  f.site->fail_before_commit = false;
  auto published = f.workflow->Publish(f.tuan, edit.id, EditETag(approved.value()));
  REQUIRE(published.ok());
  CHECK(published->state == "published");
  CHECK(f.Count("SELECT COUNT(*) FROM page_revisions") == revisions + 1);
  CHECK(f.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'publish' AND actor = 'tuan'") == 1);
  CHECK(f.Count("SELECT COUNT(*) FROM audit_log WHERE action = 'publish.live'") == 1);
}

TEST_CASE("workflow: a disabled account's scheduled edit is not published in its name") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  auto scheduled = f.workflow->Schedule(f.hoa, edit.id, EditETag(approved.value()),
                                        DateTime{f.clock + 60, 420, true});
  REQUIRE(scheduled.ok());
  REQUIRE(UserRepository(f.seed_store.get()).Disable("hoa", "2026-12-06T10:00:00+07:00").ok());
  f.clock += 61;
  auto due = f.workflow->PublishDue();
  REQUIRE(due.ok());
  CHECK(due.value() == 0);
  CHECK(f.site->orders.empty());
  auto after = f.workflow->Get(edit.id);
  REQUIRE(after.ok());
  CHECK(after->state == "approved");  // a publisher may schedule or publish it again
  CHECK(after->review_comment.find("disabled") != std::string::npos);
  auto audit = f.workflow->RecentAudit(5);
  REQUIRE(audit.ok());
  REQUIRE_FALSE(audit->empty());
  CHECK(audit->front().action == "publish.failed");
  CHECK(audit->front().detail.find("hoa") != std::string::npos);
  // Another publisher publishes it, in their own name.
  auto published = f.workflow->Publish(f.tuan, edit.id, EditETag(after.value()));
  REQUIRE(published.ok());
  REQUIRE(f.site->orders.size() == 1);
  CHECK(f.site->orders[0].publisher == "tuan");
}

TEST_CASE("workflow: a scheduled edit is published when due, after a restart too") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  DateTime past{f.clock - 10, 420, true};
  CHECK(f.workflow->Schedule(f.hoa, edit.id, EditETag(approved.value()), past).refusal().status == 400);
  DateTime at{f.clock + 3600, 420, true};
  auto scheduled = f.workflow->Schedule(f.hoa, edit.id, EditETag(approved.value()), at);
  REQUIRE(scheduled.ok());
  CHECK(scheduled->state == "scheduled");
  CHECK(f.site->scheduled_for == std::vector<int64_t>{at.unix_seconds});  // the site was told
  auto next = f.workflow->NextDue();
  REQUIRE(next.ok());
  CHECK(next.value() == std::optional<int64_t>(at.unix_seconds));
  REQUIRE(f.workflow->PublishDue().ok());
  CHECK(f.site->orders.empty());  // not yet

  f.workflow.reset();  // serve stops
  f.clock += 3601;     // and starts again after the time
  f.Open();
  auto due = f.workflow->PublishDue();
  REQUIRE(due.ok());
  CHECK(due.value() == 1);
  REQUIRE(f.site->orders.size() == 1);
  CHECK(f.site->orders[0].publisher == "hoa");
  CHECK(f.workflow->Get(edit.id)->state == "published");
  CHECK(f.workflow->PublishDue().value() == 0);  // once only
}

TEST_CASE("workflow: a page published behind an edit's back is not overwritten") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  std::string other = kText;
  Replace(&other, "Đoạn hai.", "Đoạn hai, từ dòng lệnh.");
  REQUIRE(FakeSite::Put(f.seed_store.get(), kPath, other).ok());
  auto refused = f.workflow->Publish(f.hoa, edit.id, EditETag(approved.value()));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.refusal().status == 409);
  REQUIRE(refused.refusal().merge);
  CHECK(refused.refusal().merge->clean);
  CHECK(refused.refusal().merge->merged.find("từ dòng lệnh") != std::string::npos);
  CHECK(refused.refusal().merge->merged.find("Đoạn bốn.") != std::string::npos);
  CHECK(f.site->orders.empty());
}

TEST_CASE("workflow: unpublish needs a reason and names who did it") {
  Fixture f;
  UnpublishOrder order{"guides", "quy-trinh", "", "", "", true};
  CHECK(f.workflow->Unpublish(f.hoa, order).refusal().status == 400);
  order.reason = "Quyết định đã hết hiệu lực";
  auto removed = f.workflow->Unpublish(f.hoa, order);
  REQUIRE(removed.ok());
  REQUIRE(f.site->unpublished.size() == 1);
  CHECK(f.site->unpublished[0].gone);
  CHECK(f.site->unpublished[0].by == "hoa");
  CHECK(f.workflow->RecentAudit(1)->front().action == "unpublish.gone");
}

TEST_CASE("workflow: history lists revisions and versions; restore starts a new draft") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(f.workflow->Publish(f.hoa, edit.id, EditETag(approved.value())).ok());
  auto history = f.workflow->History(kPath);
  REQUIRE(history.ok());
  std::string first_revision;
  for (const auto& item : *history) {
    if (item.kind == "published") first_revision = item.ref;  // newest first: ends at the oldest
  }
  REQUIRE_FALSE(first_revision.empty());
  auto diff = f.workflow->Diff(first_revision, "e" + std::to_string(edit.id) + ".2");
  REQUIRE(diff.ok());
  CHECK(diff.value().find("<ins>") != std::string::npos);
  CHECK(diff.value().find("bốn") != std::string::npos);
  CHECK(f.workflow->Restore(f.lan, kPath, "r99999").refusal().status == 404);
  auto restored = f.workflow->Restore(f.lan, kPath, first_revision);
  REQUIRE(restored.ok());
  CHECK(restored->state == "draft");
  CHECK(restored->source_text == kText);
  CHECK(restored->author == "lan");
}

TEST_CASE("workflow: paths outside content/ and second open edits are refused") {
  Fixture f;
  CHECK(f.workflow->Create(f.lan, "content/../site/config.yaml", std::string("x")).refusal().status == 400);
  CHECK(f.workflow->Create(f.lan, "content/guides/x.fr.md", std::string("x")).refusal().status == 400);
  CHECK(f.workflow->Create(f.lan, "content/guides/moi.vi.md", std::nullopt).refusal().status == 404);
  REQUIRE(f.workflow->Create(f.lan, kPath, std::nullopt).ok());
  auto second = f.workflow->Create(f.minh, kPath, std::nullopt);
  CHECK(second.refusal().status == 409);
  CHECK(second.refusal().current.has_value());
  CHECK(f.Count("SELECT COUNT(*) FROM edits") == 1);
}

TEST_CASE("workflow: the dashboard flags missing and outdated translations with a diff") {
  Fixture f;
  // An English translation made from the first text, then the source changes.
  std::string en = "---\ntitle: Procedure\ntranslated_from: 2026-11-01\n---\n\nStep one.\n";
  REQUIRE(FakeSite::Put(f.seed_store.get(), "content/guides/quy-trinh.en.md", en).ok());
  auto stmt = f.seed_store->Prepare(
      "UPDATE pages SET meta_json = '{\"translated_from\":\"2026-11-01T00:00:00+07:00\"}' "
      "WHERE lang = 'en'");
  REQUIRE(stmt.value().Run().ok());
  std::string changed = kText;
  Replace(&changed, "Đoạn hai.", "Đoạn hai mới.");
  REQUIRE(FakeSite::Put(f.seed_store.get(), kPath, changed).ok());
  auto bump = f.seed_store->Prepare(
      "UPDATE pages SET public_updated = '2026-11-20T00:00:00+07:00' WHERE lang = 'vi'");
  REQUIRE(bump.value().Run().ok());
  auto revisions = f.seed_store->Prepare(
      "UPDATE page_revisions SET updated = '2026-11-20T00:00:00+07:00' WHERE id = "
      "(SELECT MAX(id) FROM page_revisions)");
  REQUIRE(revisions.value().Run().ok());
  auto dashboard = f.workflow->GetDashboard();
  REQUIRE(dashboard.ok());
  bool km_missing = false, en_outdated = false;
  for (const auto& flag : dashboard->translations) {
    if (flag.lang == "km" && flag.missing) km_missing = flag.path == "content/guides/quy-trinh.km.md";
    if (flag.lang == "en" && !flag.missing) {
      en_outdated = flag.diff_html.find("mới") != std::string::npos &&
                    flag.diff_html.find("<ins>") != std::string::npos;
    }
  }
  CHECK(km_missing);
  CHECK(en_outdated);
  auto pages = f.workflow->Pages();
  REQUIRE(pages.ok());
  REQUIRE(pages->size() == 2);
  CHECK(pages->at(0).source_path == "content/guides/quy-trinh.en.md");
  CHECK(pages->at(1).title == "Quy trình");
}

TEST_CASE("workflow: a publisher who only merged approves only as an explicit own merge, when allowed") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan, "major");  // a major change to a guide: legal review
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), true, "");
  REQUIRE(approved.ok());
  std::string other = kText;
  Replace(&other, "Đoạn hai.", "Đoạn hai, từ dòng lệnh.");
  REQUIRE(FakeSite::Put(f.seed_store.get(), kPath, other).ok());
  auto refused = f.workflow->Publish(f.hoa, edit.id, EditETag(approved.value()));
  REQUIRE(refused.refusal().status == 409);
  CHECK(refused.refusal().key == "published_since");
  REQUIRE(refused.refusal().merge);
  REQUIRE(refused.refusal().merge->clean);
  EditChanges take;
  take.text = refused.refusal().merge->merged;
  take.rebase = true;
  auto merged = f.workflow->Save(f.hoa, edit.id, EditETag(approved.value()), take);
  REQUIRE(merged.ok());
  CHECK(merged->state == "draft");  // reviewed again
  auto submitted = f.workflow->Submit(f.lan, edit.id, EditETag(merged.value()));
  REQUIRE(submitted.ok());
  CHECK(f.workflow->ContentWriters(edit.id) == std::vector<std::string>{"lan"});
  const std::string etag = EditETag(submitted.value());
  // Another publisher wrote none of it: he must approve, and the refusal names him.
  auto others = f.workflow->Approve(f.hoa, edit.id, etag, true, "", true);
  REQUIRE_FALSE(others.ok());
  CHECK(others.refusal().status == 403);
  CHECK(others.refusal().key == "merged_others");
  CHECK(others.refusal().args.at("names") == "tuan");
  // Nobody else: without the administrator's setting the edit waits.
  REQUIRE(UserRepository(f.seed_store.get()).Disable("tuan", "2026-01-02").ok());
  auto off = f.workflow->Approve(f.hoa, edit.id, etag, true, "", true);
  REQUIRE_FALSE(off.ok());
  CHECK(off.refusal().key == "merged_setting_off");
  // With it, only by saying so; the legal review is still required of him.
  f.Open(true);
  auto implicit = f.workflow->Approve(f.hoa, edit.id, etag, true, "");
  REQUIRE_FALSE(implicit.ok());
  CHECK(implicit.refusal().key == "merged_explicit");
  auto unsigned_off = f.workflow->Approve(f.hoa, edit.id, etag, false, "", true);
  REQUIRE_FALSE(unsigned_off.ok());
  CHECK(unsigned_off.refusal().key == "legal_review");
  auto again = f.workflow->Approve(f.hoa, edit.id, etag, true, "", true);
  REQUIRE(again.ok());
  auto audit = f.workflow->RecentAudit(50);
  REQUIRE(audit.ok());
  bool recorded = false, merge_audited = false;
  for (const AuditRow& row : audit.value()) {
    recorded = recorded || (row.actor == "hoa" && row.action == "edit.approve" &&
                            row.detail == "approved own merge: no other publisher; legal review signed off");
    merge_audited = merge_audited || (row.actor == "hoa" && row.action == "edit.merge");
  }
  CHECK(recorded);
  CHECK(merge_audited);
}

TEST_CASE("workflow: a merge with a change of one's own makes a writer who may not approve") {
  Fixture f;
  EditRow edit = f.Submitted(f.lan);
  auto approved = f.workflow->Approve(f.hoa, edit.id, EditETag(edit), false, "");
  REQUIRE(approved.ok());
  std::string other = kText;
  Replace(&other, "Đoạn hai.", "Đoạn hai, từ dòng lệnh.");
  REQUIRE(FakeSite::Put(f.seed_store.get(), kPath, other).ok());
  auto refused = f.workflow->Publish(f.hoa, edit.id, EditETag(approved.value()));
  REQUIRE(refused.refusal().merge);
  EditChanges take;
  take.text = refused.refusal().merge->merged + "\nĐoạn của Hòa.\n";
  take.rebase = true;
  auto saved = f.workflow->Save(f.hoa, edit.id, EditETag(approved.value()), take);
  REQUIRE(saved.ok());
  auto submitted = f.workflow->Submit(f.lan, edit.id, EditETag(saved.value()));
  REQUIRE(submitted.ok());
  auto own = f.workflow->Approve(f.hoa, edit.id, EditETag(submitted.value()), false, "");
  REQUIRE_FALSE(own.ok());
  CHECK(own.refusal().status == 403);
  CHECK(own.refusal().key == "co_author");
}

TEST_CASE("workflow: the home page's news changed reaches the translation dashboard") {
  Fixture f;
  const std::string home = "content/_index.vi.md", home_en = "content/_index.en.md";
  REQUIRE(FakeSite::Put(f.seed_store.get(), home, "---\ntitle: Trang chủ\n---\n\nTin cũ.\n").ok());
  REQUIRE(FakeSite::Put(f.seed_store.get(), home_en,
                        "---\ntitle: Home\ntranslated_from: 2026-11-01\n---\n\nOld news.\n").ok());
  REQUIRE(FakeSite::Put(f.seed_store.get(), "content/_index.km.md", "---\ntitle: Km\n---\n\nKm.\n").ok());
  auto stmt = f.seed_store->Prepare(
      "UPDATE pages SET meta_json = '{\"translated_from\":\"2026-11-01T00:00:00+07:00\"}' "
      "WHERE slug = '' AND lang <> 'vi'");
  REQUIRE(stmt.value().Run().ok());
  auto flagged = [&f](const std::string& path) {
    auto dashboard = f.workflow->GetDashboard();
    REQUIRE(dashboard.ok());
    return std::any_of(dashboard->translations.begin(), dashboard->translations.end(),
                       [&path](const TranslationFlag& flag) { return flag.path == path; });
  };
  CHECK_FALSE(flagged(home_en));
  // New news on the Vietnamese home page, announced later than the translation was made.
  REQUIRE(FakeSite::Put(f.seed_store.get(), home, "---\ntitle: Trang chủ\n---\n\nTin mới.\n").ok());
  auto bump = f.seed_store->Prepare(
      "UPDATE pages SET public_updated = '2026-11-20T00:00:00+07:00' WHERE slug = '' AND lang = 'vi'");
  REQUIRE(bump.value().Run().ok());
  CHECK(flagged(home_en));
}

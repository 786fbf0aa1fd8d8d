// The editorial workflow on serve's real publish path: checks and previews against the held
// site change nothing; an approved edit is live in the output folder when Publish returns, its
// revision names who wrote, approved and published it; a withdrawn page shows its notice.
#include "publish/live_site.h"

#include <catch2/catch.hpp>

#include "editorial/workflow.h"
#include "publish_test_support.h"
#include "store/edits.h"

using namespace clemency;

namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::string kPath = "content/guides/alpha.vi.md";

struct Editorial : publish_test::StoredFixture {
  std::unique_ptr<LiveSite> live = StartLiveSite();
  ContentPort* port = nullptr;
  std::unique_ptr<Workflow> workflow;
  Actor editor{"lan", "editor"}, publisher{"hoa", "publisher"};
  Editorial() {
    REQUIRE(live->RepublishNow().ok());
    port = live.get();
    Workflow::Options options;
    options.languages = {"vi", "en", "km"};
    options.section_kind = [](const std::string& s) { return s == "guides" ? "guide" : "page"; };
    workflow = std::make_unique<Workflow>(std::move(Store::Open(dir / "clemency.db")).value(),
                                          port, options);
  }
  std::string Live() { return testing::ReadFile(dir / "public/vi/guides/alpha/index.html"); }
};

}  // namespace

TEST_CASE("editorial port: check and preview use the real site and change nothing") {
  Editorial e;
  const std::string before = e.Live();
  std::string text = testing::ReadFile(e.dir / "src/" + kPath);
  std::string changed = text;
  changed.replace(changed.find("Bạn viết đơn."), std::string("Bạn viết đơn.").size(), "Bạn viết đơn gửi Zeta.");
  Diagnostics problems;
  CHECK(e.port->Check(kPath, changed, &problems).ok());
  CHECK(problems.empty());
  auto html = e.port->Preview(kPath, changed, &problems);
  REQUIRE(html.ok());
  CHECK(Contains(*html, "Bạn viết đơn gửi Zeta."));
  CHECK((Contains(*html, "<!doctype html>") || Contains(*html, "<!DOCTYPE html>")));
  std::string broken = text + "\n[Xem](/vi/guides/khong-co/)\n";
  Diagnostics link_problems;
  CHECK_FALSE(e.port->Check(kPath, broken, &link_problems).ok());
  CHECK(Contains(link_problems.ToString(), "khong-co"));
  // Nothing of the trials reached the store or the site.
  CHECK(e.Live() == before);
  CHECK_FALSE(Contains(*PageRepository(e.store.get()).SourceText(kPath), "gửi Zeta"));
  auto again = e.port->Preview(kPath, text, &problems);
  REQUIRE(again.ok());
  CHECK_FALSE(Contains(*again, "gửi Zeta"));
}

TEST_CASE("editorial port: an approved edit is live when Publish returns, with its people") {
  Editorial e;
  auto edit = e.workflow->Create(e.editor, kPath, std::nullopt);
  REQUIRE(edit.ok());
  EditChanges changes;
  changes.text = edit->source_text;
  changes.text->replace(changes.text->find("Bạn viết đơn."), std::string("Bạn viết đơn.").size(),
                        "Bạn viết đơn, có người giúp.");
  changes.change_type = "major";
  changes.note = "Nói rõ ai giúp viết đơn.";
  auto saved = e.workflow->Save(e.editor, edit->id, EditETag(edit.value()), changes);
  REQUIRE(saved.ok());
  auto submitted = e.workflow->Submit(e.editor, edit->id, EditETag(saved.value()));
  REQUIRE(submitted.ok());
  auto approved = e.workflow->Approve(e.publisher, edit->id, EditETag(submitted.value()), true, "");
  REQUIRE(approved.ok());
  auto published = e.workflow->Publish(e.publisher, edit->id, EditETag(approved.value()));
  REQUIRE(published.ok());
  const std::string live = e.Live();
  CHECK(Contains(live, "Bạn viết đơn, có người giúp."));
  CHECK(Contains(live, "Nói rõ ai giúp viết đơn."));  // the change note is shown
  auto revisions = EditRepository(e.store.get()).Revisions(kPath);
  REQUIRE(revisions.ok());
  CHECK(revisions->front().people.author == "lan");
  CHECK(revisions->front().people.approver == "hoa");
  CHECK(revisions->front().people.publisher == "hoa");
  // The publish entry commits with the revision; what was rendered is added once it is live.
  auto audit = e.workflow->RecentAudit(2);
  REQUIRE(audit.ok());
  REQUIRE(audit->size() == 2);
  CHECK((*audit)[0].action == "publish.live");
  CHECK(Contains((*audit)[0].detail, "vi/guides/alpha/index.html"));
  CHECK((*audit)[1].action == "publish");
  CHECK((*audit)[1].actor == "hoa");
}

TEST_CASE("editorial port: unpublish withdraws with a notice, or 410 when gone") {
  Editorial e;
  UnpublishOrder order{"guides", "beta", "", "Không còn đúng.", "", false};
  auto withdrawn = e.workflow->Unpublish(e.publisher, order);
  REQUIRE(withdrawn.ok());
  CHECK(Contains(testing::ReadFile(e.dir / "public/vi/guides/beta/index.html"), "Không còn đúng."));
}

TEST_CASE("editorial port: a list page (section index, home) is edited and previewed too") {
  Editorial e;
  const std::string index = "content/guides/_index.vi.md";
  auto pages = e.workflow->Pages();
  REQUIRE(pages.ok());
  bool listed = false;
  for (const auto& page : *pages) listed = listed || page.source_path == index;
  CHECK(listed);
  auto edit = e.workflow->Create(e.editor, index, std::nullopt);
  REQUIRE(edit.ok());
  std::string text = edit->source_text;
  text.replace(text.find("Các hướng dẫn."), std::string("Các hướng dẫn.").size(),
               "Các hướng dẫn, viết lại cho dễ đọc.");
  Diagnostics problems;
  auto html = e.workflow->Preview(index, text, &problems);
  REQUIRE(html.ok());
  CHECK(Contains(html.value(), "Các hướng dẫn, viết lại cho dễ đọc."));
  CHECK(Contains(html.value(), "Điều kiện đặc xá"));  // the section's list, with its guides
  auto home = e.workflow->Preview("content/_index.vi.md",
                                  testing::ReadFile(e.dir / "src/content/_index.vi.md"), &problems);
  REQUIRE(home.ok());
  CHECK(Contains(home.value(), "<html"));
  // Nothing of the trial stays; a list page is not withdrawn on its own.
  CHECK_FALSE(Contains(testing::ReadFile(e.dir / "public/vi/guides/index.html"), "viết lại"));
  UnpublishOrder order{"guides", "", "vi", "Không cần nữa.", "", false};
  CHECK(e.workflow->Unpublish(e.publisher, order).refusal().status == 400);
}

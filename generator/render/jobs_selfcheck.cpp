// The jobs of the self-check's pages (their views: selfcheck_views.h).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/site_paths.h"
#include "core/text.h"
#include "render/planner.h"
#include "render/selfcheck_views.h"

namespace clemency {

std::vector<Job> Site::Planner::SelfCheckJobs(const ViewBuilder& builder) const {
  const selfcheck::RuleSet& rules = site_.selfcheck_;
  std::vector<Job> jobs;
  if (rules.empty()) return jobs;
  const std::string lang = builder.language().code;
  // The pages show the rule set (a site file: in nav_keys_) and links into the guides.
  const std::string key = nav_keys_.at(lang) + "|selfcheck|" + site_.link_targets_;
  auto views = std::make_shared<SelfCheckViews>(
      rules, lang, [this, lang](const std::string& guide, const selfcheck::Localized& anchor) {
        return site_.SelfCheckGuideHref(guide, anchor, lang);
      });
  auto job = [&](const std::string& path,
                 std::function<std::string(const SelfCheckViews&, View*)> fill) {
    jobs.push_back({{paths::OutputFile(path)},
                    HashHex(key + "|" + path),
                    lang,
                    [this, &builder, path, views, fill]() {
                      View part;
                      std::string title = fill(*views, &part);
                      View view = builder.Base(path, title, "");
                      builder.AddSelfCheckLanguages(&view, path);
                      for (const auto& [name, value] : part.map()) view.Set(name, value);
                      const std::string lang_code = builder.language().code;
                      view.Set("selfcheck_title",
                               View(site_.selfcheck_.String("title", lang_code)));
                      view.Set("description", View(site_.selfcheck_.String("intro", lang_code)));
                      return WritePage(builder, path, "selfcheck", view);
                    }});
  };
  job(paths::SelfCheck(lang), [](const SelfCheckViews& v, View* view) { return v.Start(view); });
  for (const auto& question : rules.questions) {
    job(paths::SelfCheck(lang, question.id),
        [&question](const SelfCheckViews& v, View* view) { return v.Question(question, view); });
  }
  for (const auto& outcome : rules.outcomes) {
    job(paths::SelfCheckResult(lang, outcome.id),
        [&outcome](const SelfCheckViews& v, View* view) { return v.Outcome(outcome, view); });
  }
  return jobs;
}

}  // namespace clemency

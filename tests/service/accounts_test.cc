// Log-in protection and session expiry, on a real store with a clock the test moves: the lock
// after wrong passwords and its doubling, the same answers for names that do not exist, the
// lock of a client address, idle and absolute expiry, ending an account's sessions, and the
// rules a new password must meet.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "auth/passwords.h"
#include "common/status.h"
#include "service/account_service.h"
#include "storage/open_store.h"
#include "test_support.h"

namespace jobaid::service {
namespace {

using jobaid::testing::FakeClock;
using jobaid::testing::TempDir;

class Accounts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = storage::OpenStore("sqlite:" + dir_.File("t.db"), codec_, ids_, clock_);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    ctx_ = std::make_unique<Context>(Context{*store_, jobaid::testing::Regions(), clock_});
    accounts_ = std::make_unique<AccountService>(*ctx_);
    for (const char* name : {"chen", "root"}) {
      NewUser u;
      u.username = name;
      u.role = "admin";
      u.password = "correct horse battery";
      auto made = accounts_->CreateUser(auth::Actor::System(), u);
      ASSERT_TRUE(made.ok()) << made.status();
      ids_of_[name] = made->id;
    }
  }

  absl::StatusCode LoginCode(const std::string& name, const std::string& password,
                             const std::string& client = "10.0.0.1") {
    return accounts_->Login(name, password, client).status().code();
  }

  TempDir dir_;
  storage::PiiCodec codec_ = storage::PiiCodec::FromSeed("accounts");
  IdGenerator ids_;
  FakeClock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Context> ctx_;
  std::unique_ptr<AccountService> accounts_;
  std::map<std::string, UserId> ids_of_;
};

constexpr char kRight[] = "correct horse battery";

TEST_F(Accounts, FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne) {
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(LoginCode("chen", "wrong"), absl::StatusCode::kUnauthenticated);
  // The fifth wrong one still says only "wrong", and earns the lock.
  EXPECT_EQ(LoginCode("chen", "wrong"), absl::StatusCode::kUnauthenticated);
  auto locked = accounts_->Login("chen", kRight, "10.0.0.2");
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfterOf(locked.status()), 60);
  // Another account is not touched.
  EXPECT_TRUE(accounts_->Login("root", kRight, "10.0.0.2").ok());
  clock_.Advance(61 * 1000);
  EXPECT_TRUE(accounts_->Login("chen", kRight, "10.0.0.2").ok());
  // The good log-in cleared the count: five more wrong ones before the next lock.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(LoginCode("chen", "wrong"), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->Login("chen", kRight, "10.0.0.3").ok());
}

TEST_F(Accounts, EachFurtherWrongPasswordDoublesTheLock) {
  for (int i = 0; i < 5; ++i) LoginCode("chen", "wrong", absl::StrCat("10.1.0.", i));
  clock_.Advance(61 * 1000);
  EXPECT_EQ(LoginCode("chen", "wrong"), absl::StatusCode::kUnauthenticated);  // the sixth
  EXPECT_EQ(RetryAfterOf(accounts_->Login("chen", kRight, "10.0.0.9").status()), 120);
  clock_.Advance(121 * 1000);
  EXPECT_EQ(LoginCode("chen", "wrong"), absl::StatusCode::kUnauthenticated);  // the seventh
  EXPECT_EQ(RetryAfterOf(accounts_->Login("chen", kRight, "10.0.0.9").status()), 240);
  // The lock is in the store: a second server on it sees it too.
  AccountService other(*ctx_);
  EXPECT_EQ(other.Login("chen", kRight, "10.0.0.9").status().code(),
            absl::StatusCode::kResourceExhausted);
  // Fifty wrong passwords never let the fifty-first right one in at once.
  clock_.Advance(241 * 1000);
  for (int i = 0; i < 50; ++i) {
    clock_.Advance(31 * 60 * 1000);  // each after the longest lock, so each is counted
    LoginCode("chen", "wrong", absl::StrCat("10.2.", i, ".1"));
  }
  auto after = accounts_->Login("chen", kRight, "10.0.0.9");
  EXPECT_EQ(after.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfterOf(after.status()), 30 * 60);
}

TEST_F(Accounts, AnUnknownNameGetsTheSameAnswersAsARealOne) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LoginCode("nobody", "wrong", absl::StrCat("10.3.0.", i)),
              absl::StatusCode::kUnauthenticated);
  }
  auto locked = accounts_->Login("nobody", "wrong", "10.3.1.1");
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(locked.status().message(),
            accounts_->Login("nobody", kRight, "10.3.1.2").status().message());
}

TEST_F(Accounts, AnAddressThatGuessesAcrossAccountsIsLocked) {
  // Twenty failures on as many names, four per name, from one address.
  for (int i = 0; i < 20; ++i) {
    LoginCode(absl::StrCat("name", i / 4), "wrong", "192.0.2.7");
  }
  auto s = accounts_->Login("root", kRight, "192.0.2.7");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(s.status().message().find("address"), absl::string_view::npos);
  // The account itself is fine from elsewhere.
  EXPECT_TRUE(accounts_->Login("root", kRight, "192.0.2.8").ok());
  clock_.Advance(61 * 1000);
  EXPECT_TRUE(accounts_->Login("root", kRight, "192.0.2.7").ok());
}

TEST_F(Accounts, ASessionEndsAfterAnHourUnusedOrTwelveHoursInAll) {
  auto in = accounts_->Login("chen", kRight);
  ASSERT_TRUE(in.ok());
  // Used every 50 minutes it lives on ...
  for (int i = 0; i < 14; ++i) {
    clock_.Advance(50 * 60 * 1000);
    ASSERT_TRUE(accounts_->Authenticate(in->token).ok()) << i;
  }
  // ... until twelve hours after the log-in (14 x 50 min = 11 h 40 min).
  clock_.Advance(25 * 60 * 1000);
  EXPECT_EQ(accounts_->Authenticate(in->token).status().code(), absl::StatusCode::kUnauthenticated);

  auto idle = accounts_->Login("chen", kRight);
  ASSERT_TRUE(idle.ok());
  ASSERT_TRUE(accounts_->Authenticate(idle->token).ok());
  clock_.Advance(61 * 60 * 1000);
  auto gone = accounts_->Authenticate(idle->token);
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(gone.status().message().find("without use"), absl::string_view::npos);
  // Another server, reading the store, agrees.
  AccountService other(*ctx_);
  EXPECT_FALSE(other.Authenticate(idle->token).ok());
}

TEST_F(Accounts, AnAdminEndsEverySessionOfAnAccount) {
  auto a = accounts_->Login("chen", kRight);
  auto b = accounts_->Login("chen", kRight);
  auto mine = accounts_->Login("root", kRight);
  ASSERT_TRUE(a.ok() && b.ok() && mine.ok());
  ASSERT_TRUE(accounts_->Authenticate(a->token).ok());  // cached now
  auto ended = accounts_->EndSessions(*accounts_->Authenticate(mine->token), ids_of_["chen"]);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(accounts_->Authenticate(a->token).ok());
  EXPECT_FALSE(accounts_->Authenticate(b->token).ok());
  EXPECT_TRUE(accounts_->Authenticate(mine->token).ok());
  EXPECT_EQ(accounts_->EndSessions(auth::Actor::System(), UserId(12345)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(Accounts, ANewPasswordEndsEverySessionAndLiftsTheLock) {
  auto a = accounts_->Login("chen", kRight);
  ASSERT_TRUE(a.ok());
  for (int i = 0; i < 5; ++i) LoginCode("chen", "wrong", absl::StrCat("10.4.0.", i));
  ASSERT_TRUE(
      accounts_->SetPassword(auth::Actor::System(), "chen", "a new and longer phrase").ok());
  EXPECT_FALSE(accounts_->Authenticate(a->token).ok());
  EXPECT_TRUE(accounts_->Login("chen", "a new and longer phrase", "10.4.1.1").ok());
}

TEST(PasswordRules, RefuseShortCommonAndNameLikePasswords) {
  struct Case {
    std::string password;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{{"correct horse battery", true},
                                         {"长城永远不倒下去吧", false},  // 9 characters
                                         {"长城永远不倒下去吧吗", true},
                                         {"short", false},
                                         {"Password123!", false},
                                         {"password12345", false},
                                         {"!!Qwertyuiop2024", false},
                                         {"woaini131452", false},
                                         {"12345678901", false},
                                         {"2026-12-07!!", false},
                                         {"aaaaaaaaaaaaaa", false},
                                         {"chen-is-my-name", false},
                                         {std::string(129, 'x'), false},
                                         {"jobaid-demo2026", false},
                                         {"ox-cart-on-bridge", true}}) {
    absl::Status s = auth::CheckNewPassword(c.password, "chen");
    EXPECT_EQ(s.ok(), c.ok) << c.password << ": " << s;
    if (!s.ok()) {
      EXPECT_EQ(FieldOf(s), "password");
    }
  }
}

}  // namespace
}  // namespace jobaid::service

// Package demo fills an empty database with a believable park, so that a newcomer sees real-looking
// enterprises, people and records at once.
//
// Everything is created through the services, never by raw inserts, so the demo data obeys the same
// rules as real data. Build makes the park itself (enterprises, inspectors, experts, enterprise
// accounts) and returns it as a Park; addRecords then gives it the records of every routine.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"text/tabwriter"

	"gorm.io/gorm"

	"parksafe/app"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/identity"
	"parksafe/service/park"
)

// Park is the demo park as created by Build, for the demo parts that add records to it.
type Park struct {
	// Admin is the first admin, acting for the park office.
	Admin service.Actor
	// Enterprises are the 13 enterprises, in the order of the roster below.
	Enterprises []model.Enterprise
	// Inspectors are the 8 park inspectors followed by the 3 resident experts (all role inspector).
	Inspectors []model.User
	// EnterpriseUsers holds each enterprise's account by enterprise id.
	EnterpriseUsers map[uint64]model.User
	// Credentials are the demo sign-ins, to print.
	Credentials []Credential
}

// Credential is one demo sign-in.
type Credential struct {
	Role, Name, Username, Password, Enterprise string
}

// Actor returns u as a service actor, for demo parts that act as that user.
func Actor(u model.User) service.Actor {
	a := service.Actor{ID: u.ID, Name: u.Name, Role: u.Role}
	if u.EnterpriseID != nil {
		a.EnterpriseID = *u.EnterpriseID
	}
	return a
}

// Seed creates the demo park when the database has no enterprises, runs every registered part and
// prints how to sign in. On a database that already has enterprises it does nothing and says so.
func Seed(ctx context.Context, a *app.App, out io.Writer) error {
	var n int64
	if err := a.DB.WithContext(ctx).Model(&model.Enterprise{}).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(out, "demo: 数据库中已有 %d 家企业，未生成演示数据 (the database already has enterprises; nothing was done)\n", n)
		return nil
	}
	p, err := Build(ctx, a)
	if err != nil {
		return err
	}
	if err := addRecords(ctx, a, p, out); err != nil {
		return err
	}
	if err := seedFilings(ctx, a, p, out); err != nil {
		return err
	}
	PrintCredentials(out, p)
	return nil
}

// addRecords gives the park its history, each part through the real services: eight weeks of
// hazards in every state, the last four Friday rounds (whose failed areas open more hazards), six
// weeks of Monday leader inspections with interviews, and the drafts of last week's two notices.
func addRecords(ctx context.Context, a *app.App, p *Park, out io.Writer) error {
	photo := realPhotos(a)
	if err := SeedHazards(ctx, a, mrand.New(mrand.NewPCG(2026, 11)), photo); err != nil {
		return fmt.Errorf("demo hazards: %w", err)
	}
	checks, err := seedHygiene(ctx, a, Actor(p.Inspectors[0]), photo, 4)
	if err != nil {
		return fmt.Errorf("demo hygiene checks: %w", err)
	}
	ids := make([]uint64, 0, len(p.Enterprises))
	users := map[uint64]service.Actor{}
	for _, e := range p.Enterprises {
		ids = append(ids, e.ID)
		users[e.ID] = Actor(p.EnterpriseUsers[e.ID])
	}
	if err := seedLeader(ctx, a, ids, users, photo); err != nil {
		return fmt.Errorf("demo leader inspections: %w", err)
	}
	last := a.Park.WeekOf(a.Park.Now().AddDate(0, 0, -7)).String()
	for _, kind := range []string{model.BulletinHygieneWeekly, model.BulletinLeaderWeekly} {
		if _, err := a.Bulletins.Generate(ctx, p.Admin, kind, last); err != nil {
			return fmt.Errorf("demo %s notice: %w", kind, err)
		}
	}
	fmt.Fprintf(out, "演示记录：隐患（各状态）、%d 次周五卫生检查、六周主要负责人带队检查与约谈、%s 两份周通报草稿。\n", checks, last)
	return nil
}

// PrintCredentials writes the demo sign-ins as a table.
func PrintCredentials(out io.Writer, p *Park) {
	fmt.Fprintf(out, "演示园区已生成：%d 家企业，%d 名检查人员和专家，%d 个企业账号。登录账号 (POST /api/v1/auth/login)：\n",
		len(p.Enterprises), len(p.Inspectors), len(p.EnterpriseUsers))
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	// The ASCII columns come first: tabwriter counts a Chinese character as one column, so only
	// the columns before the first Chinese one line up.
	fmt.Fprintln(w, "username\tpassword\t角色 / 姓名 / 企业")
	for _, c := range p.Credentials {
		fmt.Fprintf(w, "%s\t%s\t%s  %s  %s\n", c.Username, c.Password, c.Role, c.Name, c.Enterprise)
	}
	w.Flush()
}

type enterpriseSeed struct {
	name, kind, address string
	installations       int
	principal, officer  string
}

// roster is the park: 11 licensed hazardous-chemical enterprises and 2 other chemical plants with
// 18 major hazard installations between them, as in PRODUCT.md §1.
var roster = []enterpriseSeed{
	{"龙池石化有限公司", model.KindHazchemProduction, "化工园区经一路 18 号", 3, "周国栋", "吴海峰"},
	{"江海新材料科技股份有限公司", model.KindHazchemProduction, "化工园区经二路 66 号", 2, "郑永明", "冯建华"},
	{"瑞丰精细化工有限公司", model.KindHazchemProduction, "化工园区纬一路 9 号", 2, "沈立新", "韩雪松"},
	{"华诚氯碱化工有限公司", model.KindHazchemProduction, "化工园区纬二路 120 号", 2, "蒋德胜", "许文斌"},
	{"东岳氟硅科技有限公司", model.KindHazchemProduction, "化工园区滨江大道 288 号", 2, "朱建平", "秦志刚"},
	{"恒信医药化工有限公司", model.KindHazchemProduction, "化工园区纬三路 35 号", 1, "何光明", "吕春燕"},
	{"凯利涂料化工有限公司", model.KindHazchemProduction, "化工园区经三路 7 号", 1, "施振华", "张丽娟"},
	{"远航危险品储运有限公司", model.KindHazchemOperation, "化工园区港区路 2 号", 2, "孔令军", "曹永强"},
	{"安泰化学品经营有限公司", model.KindHazchemOperation, "化工园区纬四路 16 号", 1, "严国华", "华晓军"},
	{"中和工业气体有限公司", model.KindHazchemOperation, "化工园区经四路 52 号", 1, "金明亮", "魏宏伟"},
	{"新港石化仓储有限公司", model.KindHazchemOperation, "化工园区港区路 99 号", 1, "陶建新", "姜海燕"},
	{"绿源环保材料有限公司", model.KindChemicalOther, "化工园区纬五路 3 号", 0, "戚建军", "谢小红"},
	{"明辉塑胶助剂有限公司", model.KindChemicalOther, "化工园区经五路 27 号", 0, "邹文杰", "喻明"},
}

var inspectorNames = []string{"张建国", "李卫东", "王海涛", "刘志强", "陈晓东", "杨帆", "赵磊", "周敏"}

var expertNames = []string{"孙立平（驻园专家）", "马文清（驻园专家）", "胡振宇（驻园专家）"}

// Build creates the park through the services, acting as the first admin, and returns it.
func Build(ctx context.Context, a *app.App) (*Park, error) {
	var admin model.User
	err := a.DB.WithContext(ctx).Where("role = ? AND status = ?", model.RoleAdmin, model.StatusActive).Order("id").First(&admin).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errors.New("no active admin; start the service once (EnsureAdmin) before the demo")
	} else if err != nil {
		return nil, err
	}
	p := &Park{Admin: Actor(admin), EnterpriseUsers: map[uint64]model.User{}}

	staff := func(i int, name, username string) error {
		u, err := p.account(ctx, a, name, username, fmt.Sprintf("1390571%04d", i+1), model.RoleInspector, 0, "")
		if err != nil {
			return err
		}
		p.Inspectors = append(p.Inspectors, *u)
		return nil
	}
	for i, name := range inspectorNames {
		if err := staff(i, name, fmt.Sprintf("inspector%02d", i+1)); err != nil {
			return nil, err
		}
	}
	for i, name := range expertNames {
		if err := staff(len(inspectorNames)+i, name, fmt.Sprintf("expert%02d", i+1)); err != nil {
			return nil, err
		}
	}

	// The demo park's enterprises were registered a year ago, so that the weeks of history the demo
	// writes are weeks they owed filings in.
	registered := park.NewEnterprises(a.DB, service.ParkTime{Loc: a.Park.Loc, Clock: fixedClock(a.Park.Now().AddDate(-1, 0, 0))})
	for i, r := range roster {
		cadre := p.Inspectors[i%len(inspectorNames)].ID
		count := r.installations
		in := park.EnterpriseInput{
			Name: &r.name, USCC: ptr(demoUSCC(i)), Kind: &r.kind, Address: &r.address,
			PrincipalName: &r.principal, PrincipalMobile: ptr(fmt.Sprintf("1380572%04d", i+1)),
			SafetyOfficerName: &r.officer, SafetyOfficerMobile: ptr(fmt.Sprintf("1370573%04d", i+1)),
			MajorHazardCount: &count, CadreID: &cadre,
		}
		e, err := registered.Create(ctx, p.Admin, in)
		if err != nil {
			return nil, fmt.Errorf("enterprise %s: %w", r.name, err)
		}
		p.Enterprises = append(p.Enterprises, *e)
		u, err := p.account(ctx, a, r.officer, fmt.Sprintf("ent%02d", i+1), *in.SafetyOfficerMobile, model.RoleEnterprise, e.ID, e.Name)
		if err != nil {
			return nil, err
		}
		p.EnterpriseUsers[e.ID] = *u
	}
	return p, nil
}

// account creates one demo account with a fresh random password and records its credential. Its
// mobile is made up, so it is left unconfirmed: whoever really has that number cannot bind WeChat
// to the account by phone.
func (p *Park) account(ctx context.Context, a *app.App, name, username, mobile, role string, enterpriseID uint64, enterprise string) (*model.User, error) {
	pw, err := password()
	if err != nil {
		return nil, err
	}
	unconfirmed := false
	in := identity.UserInput{Name: &name, Username: &username, Mobile: &mobile, MobileConfirmed: &unconfirmed, Password: &pw, Role: &role}
	if enterpriseID != 0 {
		in.EnterpriseID = &enterpriseID
	}
	u, err := a.Users.Create(ctx, p.Admin, in)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", username, err)
	}
	p.Credentials = append(p.Credentials, Credential{Role: service.RoleLabels[role], Name: name, Username: username, Password: pw, Enterprise: enterprise})
	return u, nil
}

// demoUSCC returns a valid 统一社会信用代码 for the i-th demo enterprise: registered by market
// regulation (9), an enterprise (1), in a Zhejiang coastal district (330604), with an organization
// code whose own GB 11714 check digit is right, and the GB 32100 check character.
func demoUSCC(i int) string {
	org := fmt.Sprintf("MA2D%04d", 3172+i*37)
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := 0; k < 8; k++ {
		c := org[k]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * weights[k]
	}
	check := "0123456789X0"[11-sum%11 : 11-sum%11+1]
	return service.CompleteUSCC("91330604" + org + check)
}

// password returns a readable random password that passes the strength rule.
func password() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Park-%06d", n.Int64()+100000), nil
}

func ptr[T any](v T) *T { return &v }

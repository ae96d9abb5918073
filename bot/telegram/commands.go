package telegram

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

func (b *Bot) helpText() string {
	ld, ok := b.engine.Current()
	var s strings.Builder
	s.WriteString("我可以回答政府任务分工通知里的问题：哪个单位牵头、哪些单位负责、什么时候完成。\n\n")
	if !ok {
		s.WriteString("<b>" + esc(bot.MsgLoading) + "</b>\n")
		ld.Corpus = &corpus.Corpus{}
	} else {
		fmt.Fprintf(&s, "<b>已加载 %d 份通知，%d 项任务：</b>\n", len(ld.Corpus.Notices), ld.Stats.Tasks)
	}
	for i, n := range ld.Corpus.Notices {
		if i == 10 {
			fmt.Fprintf(&s, "……共 %d 份，发送 /notices 查看全部\n", len(ld.Corpus.Notices))
			break
		}
		fmt.Fprintf(&s, "· %s\n", esc(bot.Clip(n.Name(), 40)))
	}
	s.WriteString("\n<b>可以这样问：</b>\n")
	for _, q := range []string{"哪个单位牵头步行街建设任务？", "市商务局牵头哪些任务？", "半年工作小结什么时候报送？", "领导小组办公室设在哪个单位？"} {
		fmt.Fprintf(&s, "· %s\n", esc(q))
	}
	s.WriteString("\n<b>命令：</b>\n/ask 问题 — 提问（群里请用 /ask 或 @我）\n/unit 单位 — 单位的全部任务\n/task 通知 任务号 — 任务全文\n/notices — 已加载的通知\n/scope 地区 — 限定本聊天的通知范围（/scope 全部 取消）\n/export [单位或文号] — 导出任务台账（Excel 文件）\n/feedback — 最近被标为 👎 的回答（管理员）\n追问可以直接说：那它的配合单位呢？第二个呢？还有吗？")
	return s.String()
}

func (b *Bot) unit(ctx context.Context, m *models.Message, name string) {
	if name == "" {
		b.reply(ctx, m, esc(bot.MsgUnitUsage), nil)
		return
	}
	a, ok, scope := b.scopedUnitAnswer(m.Chat.ID, name, 1)
	if !ok {
		b.reply(ctx, m, esc(fmt.Sprintf("%s没有找到单位“%s”的任务。", scope, bot.Clip(name, 40))), nil)
		return
	}
	b.answered.Add(1)
	b.sendAnswer(ctx, m, a, func(_ context.Context, page int) (retrieval.Answer, error) {
		a, _, _ := b.scopedUnitAnswer(m.Chat.ID, name, page)
		return a, nil
	})
}

func (b *Bot) task(ctx context.Context, m *models.Message, args string) {
	fields := strings.Fields(args)
	if len(fields) < 2 {
		b.reply(ctx, m, esc(bot.MsgTaskUsage), nil)
		return
	}
	notice, ref := strings.Join(fields[:len(fields)-1], " "), fields[len(fields)-1]
	n, t, ok := b.engine.FindTask(notice, ref)
	if !ok {
		b.reply(ctx, m, esc(fmt.Sprintf("没有找到任务“%s %s”。", bot.Clip(notice, 40), bot.Clip(ref, 20)))+"\n"+esc(bot.MsgTaskUsage), nil)
		return
	}
	c := citationText{label: n.Name() + " " + t.Ref, text: t.Text,
		lead: strings.Join(t.LeadUnits, "、"), resp: strings.Join(t.ResponsibleUnits, "、")}
	html := citationHTML(c)
	if len(t.Sections) > 0 {
		html = esc(strings.Join(t.Sections, " › ")) + "\n" + html
	}
	for _, d := range t.Deadlines {
		html += fmt.Sprintf("\n时间：%s（%s）", esc(d.Phrase), d.Date)
	}
	b.reply(ctx, m, html, nil)
}

func (b *Bot) notices(ctx context.Context, m *models.Message) {
	ld, _ := b.engine.Current()
	var s strings.Builder
	fmt.Fprintf(&s, "<b>已加载 %d 份通知，共 %d 项任务</b>\n", len(ld.Corpus.Notices), ld.Stats.Tasks)
	for _, n := range ld.Corpus.Notices {
		fmt.Fprintf(&s, "· %s — %d 项任务", esc(n.Name()), len(n.Tasks))
		if n.Date != "" {
			fmt.Fprintf(&s, "（%s）", n.Date)
		}
		s.WriteString("\n")
	}
	b.reply(ctx, m, s.String(), nil)
}

func (b *Bot) stats(ctx context.Context, m *models.Message) {
	ld, _ := b.engine.Current()
	up := b.cfg.Now().Sub(b.started).Round(time.Second)
	b.reply(ctx, m, fmt.Sprintf("<b>运行状态</b>\n通知：%d\n任务：%d\n索引条目：%d\n已回答问题：%d\n待发送消息：%d\n运行时间：%s\n嵌入模型：%s",
		len(ld.Corpus.Notices), ld.Stats.Tasks, ld.Stats.Entries, b.answered.Load(), b.outbox.Pending(), up, esc(ld.Stats.Model)), nil)
}

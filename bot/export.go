package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/ledger"
)

// /export: the 台账 workbook (corpus/ledger) of a chat's scope, of a unit
// or of one notice. The core chooses the rows; a channel that can send a
// file writes and sends the workbook, one that cannot says where to get
// it.

// MsgExportLarge is the reply when a workbook would pass Excel's row
// limit or a channel's file size limit.
const MsgExportLarge = "台账太大（%s），无法在聊天里发送。请缩小范围（/export 单位 或 /export 文号），或在管理页面、服务器上用 assignbot export 导出。"

// Export chooses the rows /export args sends in chat: the chat's scope
// with no args; else the notice args names (文号 or file name), or failing
// that the unit, within the scope. A nil selection comes with the reply
// that says why.
func (c *Core) Export(chat ChatRef, args string) (*ledger.Selection, string) {
	ld, ok := c.engine.Current()
	if !ok {
		return nil, MsgLoading
	}
	cor := ld.Corpus
	scope := c.Scope(chat)
	if len(scope.Docs) > 0 {
		in := &corpus.Corpus{Directory: cor.Directory}
		for _, n := range cor.Notices {
			if slices.Contains(scope.Docs, n.Doc) {
				in.Notices = append(in.Notices, n)
			}
		}
		cor = in
	}
	args = strings.TrimSpace(args)
	var f ledger.Filter
	if args != "" {
		f.Doc = args
		if sel, err := ledger.Select(cor, f); err == nil && len(sel.Notices) > 0 {
			return sel, ""
		}
		f = ledger.Filter{Unit: args}
	}
	sel, err := ledger.Select(cor, f)
	if err != nil {
		c.log.Error("export select", "chat", chat, "err", err)
		return nil, MsgError
	}
	if len(sel.Rows) == 0 {
		where := "已加载的通知里"
		if scope.Text != "" {
			where = "本聊天的范围（" + scope.Text + "）里"
		}
		if args == "" {
			return nil, where + "没有任务可以导出。"
		}
		return nil, fmt.Sprintf("%s没有找到通知或单位“%s”的任务。用法：/export、/export 市商务局、/export 武政办〔2021〕22号", where, Clip(args, 40))
	}
	if scope.Text != "" && sel.Filter.Scope == "" {
		sel.Filter.Scope = scope.Text // named in the file and its header
	}
	return sel, ""
}

// exportElsewhere is /export on a channel that cannot send files: what
// was chosen, and where to download it.
func (c *Core) exportElsewhere(chat ChatRef, args string) Reply {
	sel, msg := c.Export(chat, args)
	if sel == nil {
		return text(msg)
	}
	cmd := "assignbot export"
	if f := sel.Filter; f.Doc != "" {
		cmd += " --doc " + f.Doc
	} else if f.Unit != "" {
		cmd += " --unit " + f.Unit
	} else if f.Scope != "" {
		cmd += " --scope " + f.Scope
	}
	return doc(fmt.Sprintf("台账：%d 项任务，%d 行（%s）", sel.Tasks, len(sel.Rows), sel.FileName(c.cfg.Now())),
		"这里不能发送文件。请在管理页面下载（serve 设置了 WEB_ADDR 时，通知或单位页面上的下载按钮），",
		"或在服务器上运行："+cmd+" --out 台账.xlsx")
}

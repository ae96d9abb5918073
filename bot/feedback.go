package bot

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/assignbot/assignbot/retrieval"
	bolt "go.etcd.io/bbolt"
)

// Answer feedback: every answer the bot sends is kept (question, a clip of
// the answer, the tasks it cited, channel and chat) under a short id, so
// that a 👍 or 👎 pressed days later still knows what it was about. A vote
// is keyed by answer and voter: a second press changes or keeps the vote,
// never adds one. Only the last MaxAnswers answers without votes are
// kept; voted answers stay.

var (
	bucketAnswers = []byte("answers")
	bucketVotes   = []byte("votes")
)

// MaxAnswers is how many answers the store keeps for votes to refer to;
// the store prunes every pruneEvery answers (counting keys walks them).
const MaxAnswers = 10000

const pruneEvery = 64

// ErrUnknownAnswer is a vote for an answer the store no longer keeps.
var ErrUnknownAnswer = errors.New("unknown answer")

// AnswerRecord is what the store keeps of one answer sent.
type AnswerRecord struct {
	ID        string    `json:"-"`
	Chat      ChatRef   `json:"chat"`
	ChatTitle string    `json:"title,omitempty"`
	Question  string    `json:"q"`
	Answer    string    `json:"a,omitempty"` // clipped
	Citations []Cited   `json:"cites,omitempty"`
	Time      time.Time `json:"time"`
}

// Cited is a task an answer cited: its label, and its notice and number
// for a link to it.
type Cited struct {
	Label string `json:"label"` // 武政办〔2021〕22号 二(二)3
	Doc   string `json:"doc,omitempty"`
	Ref   string `json:"ref,omitempty"`
}

// Vote is one person's 👍 or 👎 on an answer, with the answer.
type Vote struct {
	AnswerRecord
	Voter string    `json:"voter"`
	Up    bool      `json:"up"`
	At    time.Time `json:"at"`
}

// NewAnswerRecord keeps what a vote needs of answer a to question q.
func NewAnswerRecord(chat ChatRef, title, q string, a retrieval.Answer, now time.Time) AnswerRecord {
	r := AnswerRecord{Chat: chat, ChatTitle: title, Question: Clip(q, 500), Answer: Clip(strings.Join(AnswerBody(a), "\n"), 600), Time: now}
	for _, c := range a.Citations {
		r.Citations = append(r.Citations, Cited{Label: c.Label, Doc: c.Doc, Ref: c.Ref})
	}
	return r
}

// answerID is an answer's id in callbacks and messages: its sequence in
// base 36 (at most 13 characters).
func answerID(seq uint64) string { return strconv.FormatUint(seq, 36) }

func answerKey(id string) ([]byte, bool) {
	seq, err := strconv.ParseUint(id, 36, 64)
	if err != nil || seq == 0 {
		return nil, false
	}
	return binary.BigEndian.AppendUint64(nil, seq), true
}

// RecordAnswer keeps an answer and returns its id; the oldest answers
// beyond MaxAnswers that nobody voted on are dropped.
func (s *Store) RecordAnswer(r AnswerRecord) (string, error) {
	var id string
	err := s.commit.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketAnswers)
		if err != nil {
			return err
		}
		votes, err := tx.CreateBucketIfNotExists(bucketVotes)
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(nil, seq)
		if err := b.Put(key, data); err != nil {
			return err
		}
		id = answerID(seq)
		if seq%pruneEvery != 0 {
			return nil
		}
		return pruneAnswers(b, votes, s.maxAnswers)
	})
	return id, err
}

// pruneAnswers drops the oldest unvoted answers beyond keep.
func pruneAnswers(b, votes *bolt.Bucket, keep int) error {
	extra := b.Stats().KeyN - keep
	if extra <= 0 {
		return nil
	}
	cur, vc := b.Cursor(), votes.Cursor()
	for k, _ := cur.First(); k != nil && extra > 0; k, _ = cur.Next() {
		if vk, _ := vc.Seek(k); vk != nil && bytes.HasPrefix(vk, k) {
			continue
		}
		if err := cur.Delete(); err != nil {
			return err
		}
		extra--
	}
	return nil
}

// Answer is a kept answer by id.
func (s *Store) Answer(id string) (AnswerRecord, error) {
	var r AnswerRecord
	key, ok := answerKey(id)
	if !ok {
		return r, ErrUnknownAnswer
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnswers)
		if b == nil {
			return ErrUnknownAnswer
		}
		data := b.Get(key)
		if data == nil {
			return ErrUnknownAnswer
		}
		return json.Unmarshal(data, &r)
	})
	r.ID = id
	return r, err
}

// Vote records voter's 👍 (up) or 👎 on answer id, replacing the voter's
// earlier vote on it; changed is false when the vote was already so.
func (s *Store) Vote(id, voter string, up bool, now time.Time) (changed bool, err error) {
	key, ok := answerKey(id)
	if !ok {
		return false, ErrUnknownAnswer
	}
	err = s.commit.update(func(tx *bolt.Tx) error {
		changed = false
		answers := tx.Bucket(bucketAnswers)
		if answers == nil || answers.Get(key) == nil {
			return ErrUnknownAnswer
		}
		votes, err := tx.CreateBucketIfNotExists(bucketVotes)
		if err != nil {
			return err
		}
		vkey := append(append([]byte{}, key...), voter...)
		var old Vote
		if data := votes.Get(vkey); data != nil && json.Unmarshal(data, &old) == nil && old.Up == up {
			return nil
		}
		data, err := json.Marshal(Vote{Voter: voter, Up: up, At: now})
		if err != nil {
			return err
		}
		changed = true
		return votes.Put(vkey, data)
	})
	return changed, err
}

// Votes lists every vote with its answer, newest vote first.
func (s *Store) Votes() ([]Vote, error) {
	var list []Vote
	err := s.db.View(func(tx *bolt.Tx) error {
		votes, answers := tx.Bucket(bucketVotes), tx.Bucket(bucketAnswers)
		if votes == nil || answers == nil {
			return nil
		}
		return votes.ForEach(func(k, v []byte) error {
			var vote Vote
			if len(k) < 8 || json.Unmarshal(v, &vote) != nil {
				return nil
			}
			if data := answers.Get(k[:8]); data != nil {
				_ = json.Unmarshal(data, &vote.AnswerRecord)
			}
			vote.ID = answerID(binary.BigEndian.Uint64(k[:8]))
			list = append(list, vote)
			return nil
		})
	})
	sort.SliceStable(list, func(i, j int) bool { return list[i].At.After(list[j].At) })
	return list, err
}

// LatestDown lists the latest 👎, newest first, at most limit of them.
func (s *Store) LatestDown(limit int) ([]Vote, error) {
	all, err := s.Votes()
	if err != nil {
		return nil, err
	}
	var down []Vote
	for _, v := range all {
		if !v.Up {
			down = append(down, v)
			if len(down) == limit {
				break
			}
		}
	}
	return down, nil
}

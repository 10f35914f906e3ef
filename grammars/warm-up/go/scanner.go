// Ananke grammar warm-up text: original code, not part of the build.

package warmup

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies lexical tokens of a tiny expression language.
type TokenKind uint8

const (
	TokEOF TokenKind = iota
	TokIdent
	TokNumber
	TokString
	TokChar
	TokOperator
	TokLParen
	TokRParen
	TokComma
	TokIllegal = TokenKind(0xFF)
)

var kindNames = [...]string{
	TokEOF:      "EOF",
	TokIdent:    "identifier",
	TokNumber:   "number",
	TokString:   "string",
	TokChar:     "char",
	TokOperator: "operator",
	TokLParen:   "(",
	TokRParen:   ")",
	TokComma:    ",",
}

func (k TokenKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("TokenKind(%#02x)", uint8(k))
}

// Pos is a 1-based line and column.
type Pos struct{ Line, Col int }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Token is one lexeme with its position.
type Token struct {
	Kind TokenKind
	Text string
	At   Pos
}

// Scanner splits source text into tokens.
type Scanner struct {
	src    string
	off    int
	line   int
	col    int
	errors []string
}

func NewScanner(src string) *Scanner { return &Scanner{src: src, line: 1, col: 1} }

func (s *Scanner) peek() rune {
	if s.off >= len(s.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.off:])
	return r
}

func (s *Scanner) advance() rune {
	r, size := utf8.DecodeRuneInString(s.src[s.off:])
	s.off += size
	if r == '\n' {
		s.line++
		s.col = 1
	} else {
		s.col++
	}
	return r
}

func (s *Scanner) errorf(at Pos, format string, args ...interface{}) {
	s.errors = append(s.errors, at.String()+": "+fmt.Sprintf(format, args...))
}

// Next returns the next token, skipping blanks and comments.
func (s *Scanner) Next() Token {
skip:
	for {
		switch r := s.peek(); {
		case r == ' ', r == '\t', r == '\r', r == '\n', r == '\u00a0':
			s.advance()
		case r == '#':
			for s.peek() != '\n' && s.peek() != -1 {
				s.advance()
			}
		default:
			break skip
		}
	}
	start, at := s.off, Pos{s.line, s.col}
	r := s.peek()
	switch {
	case r == -1:
		return Token{Kind: TokEOF, At: at}
	case unicode.IsLetter(r) || r == '_':
		for r := s.peek(); unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'; r = s.peek() {
			s.advance()
		}
		return Token{TokIdent, s.src[start:s.off], at}
	case '0' <= r && r <= '9':
		s.scanNumber()
		return Token{TokNumber, s.src[start:s.off], at}
	case r == '"' || r == '`':
		s.scanString(r, at)
		return Token{TokString, s.src[start:s.off], at}
	case r == '\'':
		s.advance()
		if s.advance() == '\\' {
			s.advance()
		}
		if s.advance() != '\'' {
			s.errorf(at, "unterminated character literal")
		}
		return Token{TokChar, s.src[start:s.off], at}
	}
	s.advance()
	switch r {
	case '(':
		return Token{TokLParen, "(", at}
	case ')':
		return Token{TokRParen, ")", at}
	case ',':
		return Token{TokComma, ",", at}
	case '+', '-', '*', '/', '%', '^':
		return Token{TokOperator, string(r), at}
	case '<', '>', '=', '!':
		if s.peek() == '=' {
			s.advance()
		}
		return Token{TokOperator, s.src[start:s.off], at}
	}
	s.errorf(at, "unexpected character %q (U+%04X)", r, r)
	return Token{TokIllegal, string(r), at}
}

func (s *Scanner) scanNumber() {
	digits := "0123456789_"
	if strings.HasPrefix(s.src[s.off:], "0x") || strings.HasPrefix(s.src[s.off:], "0X") {
		s.advance()
		s.advance()
		digits = "0123456789abcdefABCDEF_"
	} else if strings.HasPrefix(s.src[s.off:], "0b") {
		s.advance()
		s.advance()
		digits = "01_"
	}
	for s.peek() != -1 && strings.ContainsRune(digits, s.peek()) {
		s.advance()
	}
	if s.peek() == '.' && len(digits) == 11 {
		s.advance()
		for unicode.IsDigit(s.peek()) {
			s.advance()
		}
	}
}

func (s *Scanner) scanString(quote rune, at Pos) {
	s.advance()
	for {
		switch r := s.peek(); r {
		case -1:
			s.errorf(at, "unterminated string")
			return
		case quote:
			s.advance()
			return
		case '\\':
			s.advance()
			if quote == '"' {
				s.advance()
			}
		default:
			s.advance()
		}
	}
}

// Errors returns the diagnostics gathered so far.
func (s *Scanner) Errors() []string { return s.errors }

// Tokenize scans the whole input.
func Tokenize(src string) ([]Token, error) {
	sc := NewScanner(src)
	var toks []Token
	for {
		t := sc.Next()
		toks = append(toks, t)
		if t.Kind == TokEOF {
			break
		}
	}
	if errs := sc.Errors(); len(errs) > 0 {
		return toks, fmt.Errorf("%d scan errors, first: %s", len(errs), errs[0])
	}
	return toks, nil
}

// Constants in every literal form the scanner's tests rely on.
const (
	maxDepth    = 0o755 & 0x1ff
	legacyOctal = 0644
	flagMask    = 0b1010_0101
	bigHex      = 0xDEAD_BEEF
	million     = 1_000_000
	epsilon     = 1e-9
	avogadro    = 6.022_140_76e23
	hexFloat    = 0x1.8p+3
	halfPi      = math.Pi / 2.
	fraction    = .25
	imagUnit    = 2i + 0.5i
	tab         = '\t'
	bell        = '\a'
	nulByte     = '\x00'
	omega       = '\u03a9'
	smiley      = '\U0001F600'
	octEsc      = '\101'
	quoteChar   = '\''
	rawPattern  = `^(\d+)\s*([a-z]+)\\n$`
	escaped     = "line one\nline \"two\"\t\u00e9\xff"
	multiline   = `first line
second line with "quotes" and 'ticks'`
)

// describeLiterals shows the constants so they are used.
func describeLiterals() []string {
	var out []string
	out = append(out, fmt.Sprint(maxDepth, legacyOctal, flagMask, uint64(bigHex), million))
	out = append(out, fmt.Sprintf("%g %g %g %g %g", epsilon, avogadro, hexFloat, halfPi, fraction))
	out = append(out, fmt.Sprint(real(imagUnit), imag(imagUnit)))
	out = append(out, string([]rune{tab, bell, nulByte, omega, smiley, octEsc, quoteChar}))
	out = append(out, rawPattern, escaped, multiline)
	return out
}

// Evaluate computes a tiny postfix program over float64 values.
func Evaluate(program []string) (result float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("evaluate: %v", r)
		}
	}()
	stack := make([]float64, 0, 16)
	pop := func() float64 {
		if len(stack) == 0 {
			panic("stack underflow")
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v
	}
	for i, word := range program {
		var n float64
		if _, scanErr := fmt.Sscan(word, &n); scanErr == nil {
			stack = append(stack, n)
			continue
		}
		switch word {
		case "+", "-", "*", "/":
			b, a := pop(), pop()
			switch word {
			case "+":
				a += b
			case "-":
				a -= b
			case "*":
				a *= b
			case "/":
				if b == 0 {
					return 0, fmt.Errorf("word %d: division by zero", i)
				}
				a /= b
			}
			stack = append(stack, a)
		case "dup":
			v := pop()
			stack = append(stack, v, v)
		case "sqrt":
			stack = append(stack, math.Sqrt(pop()))
		default:
			return 0, fmt.Errorf("word %d: unknown %q", i, word)
		}
	}
	if len(stack) != 1 {
		return 0, fmt.Errorf("expected one value, have %d", len(stack))
	}
	return stack[0], nil
}

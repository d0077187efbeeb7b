/*
 * The flexc safety-metadata language.
 *
 * A file is a list of sections. A section starts on a fresh line with a header, written either in
 * the seed notation "[Memory Access] ::=" or in FlexOS's Properties.def notation
 * "Memory Access::=", and its body runs to the next header. A backslash at the end of a line
 * continues it; '#' and '//' start comments.
 *
 * The grammar only knows the shape of items (words, LIB::SYM targets, tuples, strings, numbers,
 * compiler flags, "A -> B" rules). What a section may contain is checked afterwards, so that every
 * problem gets a precise message instead of a generic syntax error.
 */
grammar Metadata;

// LIB::SYM, with blanks around '::' allowed and either side possibly missing, is one token: were it
// up to three, "a::b, a::b" could also be read as "a::", "b", "a::", "b", and the parser would look
// ahead to the end of the line at every target (quadratic time). SectionParser merges IDENT? SCOPE
// (IDENT | STAR)? into SCOPED after lexing; a missing side gives a precise "malformed call target"
// message rather than a syntax error.
tokens { SCOPED }

file
    : NEWLINE* (section (NEWLINE+ section)* NEWLINE*)? EOF
    ;

// A header and the lines after it up to the next header; the parser looks ahead for '::=' to
// tell a body line from the next header.
section
    : header items? (NEWLINE+ items)*
    ;

// The header line: bracketed or bare section name, then '::='.
header
    : LBRACKET sectionName RBRACKET DEFINE   # bracketedHeader
    | sectionName DEFINE                     # bareHeader
    ;

sectionName
    : IDENT+
    ;

// The items of one line, separated by commas or blanks.
items
    : item (COMMA? item)* COMMA?
    ;

item
    : atom (ARROW atom)?
    ;

// Tuples nest by recursion; SectionParser refuses deep nesting before parsing, so that the
// recursion cannot reach the end of the stack.
atom
    : SCOPED                                      # scopedAtom
    | IDENT STAR                                  # starredAtom
    | IDENT                                       # wordAtom
    | LPAREN item (COMMA item)* COMMA? RPAREN     # tupleAtom
    | STRING                                      # stringAtom
    | NUMBER                                      # numberAtom
    | FLAG                                        # flagAtom
    ;

DEFINE   : '::=' ;
SCOPE    : '::' ;
ARROW    : '->' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
COMMA    : ',' ;
STAR     : '*' ;

STRING   : '"' ~["\r\n]* '"' ;
NUMBER   : [0-9]+ ('.' [0-9]+)? ;
// A compiler flag such as -fsanitize=address; quote it if it contains a comma.
FLAG     : '-' ~[ \t\r\n,()"#\\>[\]] ~[ \t\r\n,()"#\\[\]]* ;
// C identifiers, plus inner dashes as in pthread-embedded.
IDENT    : [A-Za-z_] [A-Za-z0-9_]* ('-' [A-Za-z0-9_]+)* ;

LINE_COMMENT : ('#' | '//') ~[\r\n]* -> skip ;
CONTINUATION : '\\' [ \t]* ('\r'? '\n' | EOF) -> skip ;
NEWLINE      : '\r'? '\n' ;
BLANK        : [ \t\f]+ -> skip ;
// Any other character, and the '"' of a string left open. A token rather than a lexer error: ANTLR
// makes an exception object for each lexer error, which made a 4 MiB file of garbage take seconds;
// SectionParser reports these tokens and drops them before parsing.
UNEXPECTED   : . ;

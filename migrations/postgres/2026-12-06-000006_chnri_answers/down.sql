DROP TABLE chnri_answers;
